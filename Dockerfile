# skillgap: the API (and its web page) in a small runtime image.
#   docker build -t skillgap .                     # compiles the binary in a Rust stage
#   docker run --rm -p 8080:8080 -v "$PWD/onet:/data/onet:ro" skillgap serve --onet-dir /data/onet --bind 0.0.0.0:8080
# Or package a binary built on a Debian 12 (bookworm) host, skipping the Rust stage (minutes, not
# tens of minutes; the host's glibc must be bookworm's or older):
#   cargo build --release -p skillgap && docker build --target prebuilt -t skillgap .
#   (--build-arg SKILLGAP_BINARY=target/debug/skillgap packages a debug build instead)
# See docker-compose.yml for MariaDB + a one-shot load + the API.

# Everything the runtime needs except the binary, shared by both ways of getting one.
FROM debian:bookworm-slim AS runtime
# curl is for the health check only; CA certificates for O*NET Web Services and LLM endpoints.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 skillgap \
    && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/skillgap --create-home skillgap
# The compose stack's one-shot load: the release, then BLS and NCES files when mounted.
COPY scripts/docker/skillgap-load /usr/local/bin/skillgap-load
USER 10001:10001
WORKDIR /var/lib/skillgap
ENV SKILLGAP_BIND=0.0.0.0:8080 \
    DATABASE_URL=sqlite:///var/lib/skillgap/skillgap.db
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/health"]
ENTRYPOINT ["skillgap"]
CMD ["serve"]

# `--target prebuilt`: the runtime with a binary from the build context (.dockerignore lets
# target/release/skillgap and target/debug/skillgap through, nothing else under target/).
FROM runtime AS prebuilt
ARG SKILLGAP_BINARY=target/release/skillgap
COPY ${SKILLGAP_BINARY} /usr/local/bin/skillgap

# The default: compile in a Rust stage. It comes after `prebuilt` so that building that target
# never needs the Rust image, with BuildKit or without.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY crates crates
RUN cargo build --release --locked -p skillgap \
    && cp target/release/skillgap /usr/local/bin/skillgap

FROM runtime
COPY --from=build /usr/local/bin/skillgap /usr/local/bin/skillgap
