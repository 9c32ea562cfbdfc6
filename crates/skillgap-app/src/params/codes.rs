//! Occupation codes given as parameters: exactly as sent, required, or under either of two names.

use skillgap_core::SocCode;

use crate::error::AppError;

/// Parses an occupation code parameter, exactly as given.
pub fn parse_code(parameter: &str, value: &str) -> Result<SocCode, AppError> {
    SocCode::parse(value).map_err(|e| AppError::parameter(parameter, e.to_string()))
}

/// A required code parameter.
pub fn required_code(parameter: &str, value: Option<&str>) -> Result<SocCode, AppError> {
    let value = value.ok_or_else(|| {
        AppError::parameter(
            parameter,
            format!("`{parameter}` is required: an O*NET-SOC code like 15-1252.00"),
        )
    })?;
    parse_code(parameter, value)
}

/// A required code that a request may give under either of two names (`from` or the original
/// service's `from_occupation`); both given must agree.
pub fn code_or_alias(
    parameter: &str,
    value: Option<&str>,
    alias: &str,
    alias_value: Option<&str>,
) -> Result<SocCode, AppError> {
    match (value, alias_value) {
        (Some(x), Some(y)) if x.trim() != y.trim() => Err(AppError::parameter(
            parameter,
            format!("`{parameter}` and `{alias}` name different occupations; give one of them"),
        )),
        (Some(x), _) => parse_code(parameter, x),
        (None, Some(y)) => parse_code(alias, y),
        (None, None) => Err(AppError::parameter(
            parameter,
            format!("`{parameter}` is required: an O*NET-SOC code like 15-1252.00 (or `{alias}`)"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_must_agree() {
        let e = code_or_alias(
            "from",
            Some("15-1254.00"),
            "from_occupation",
            Some("11-3021.00"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("name different occupations"));
        assert_eq!(
            code_or_alias("from", None, "from_occupation", Some("11-3021.00"))
                .unwrap()
                .to_string(),
            "11-3021.00"
        );
        let e = code_or_alias("to", None, "to_occupation", None).unwrap_err();
        assert!(e.to_string().starts_with("`to` is required"));
    }
}
