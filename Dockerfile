# skillgap: the API (and its web page) in a small runtime image.
#   docker build -t skillgap .
#   docker run --rm -p 8080:8080 -v "$PWD/onet:/data/onet:ro" skillgap serve --onet-dir /data/onet --bind 0.0.0.0:8080
# See docker-compose.yml for MariaDB + a one-shot load + the API.

FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p skillgap \
    && cp target/release/skillgap /usr/local/bin/skillgap

FROM debian:bookworm-slim
# curl is for the health check only; CA certificates for O*NET Web Services and LLM endpoints.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 skillgap \
    && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/skillgap --create-home skillgap
COPY --from=build /usr/local/bin/skillgap /usr/local/bin/skillgap
USER 10001:10001
WORKDIR /var/lib/skillgap
ENV SKILLGAP_BIND=0.0.0.0:8080 \
    DATABASE_URL=sqlite:///var/lib/skillgap/skillgap.db
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/health"]
ENTRYPOINT ["skillgap"]
CMD ["serve"]
