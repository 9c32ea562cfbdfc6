//! A value serialized once and written as is into every answer that carries it.

use std::sync::Arc;

use serde::Serialize;
use serde_json::value::RawValue;

/// A value with its JSON, serialized once (when the facts are loaded) and written as is into
/// every answer that carries it: an occupation's labour facts appear in many answers, and
/// serializing them again each time was most of what they cost.
#[derive(Clone, Debug)]
pub struct Prepared<T> {
    value: Arc<T>,
    json: Arc<RawValue>,
}

impl<T: Serialize> Prepared<T> {
    /// Serializes `value` once.
    pub fn new(value: T) -> Self {
        let json = serde_json::value::to_raw_value(&value)
            .expect("an answer type serializes to JSON")
            .into();
        Self {
            value: Arc::new(value),
            json,
        }
    }
}

impl<T> std::ops::Deref for Prepared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: PartialEq> PartialEq for Prepared<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T> Serialize for Prepared<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json.as_ref().serialize(s)
    }
}
