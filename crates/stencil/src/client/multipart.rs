//! `multipart/form-data` bodies.

use bytes::Bytes;
use reqwest::multipart::{Form, Part};
use serde::Serialize;
use serde_json::Value;

use super::encode::scalar;

/// A `multipart/form-data` body being assembled, one part per field of the body struct.
///
/// Binary fields become file parts ([`file`](Multipart::file)); other fields
/// ([`field`](Multipart::field)) become text parts when they are scalars, one part per item for
/// arrays of scalars, and `application/json` parts for objects. `None` fields are left out.
#[must_use]
pub struct Multipart {
    form: Form,
    error: Option<String>,
}

impl std::fmt::Debug for Multipart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Multipart")
            .field("form", &self.form)
            .field("error", &self.error)
            .finish()
    }
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

/// The contents of a binary multipart field: `Bytes`, and optional or repeated ones.
pub trait FileParts {
    /// Each part to send for this field: one for a value, none for `None`, one per item of a list.
    fn file_parts(&self) -> Vec<Bytes>;
}

impl FileParts for Bytes {
    fn file_parts(&self) -> Vec<Bytes> {
        vec![self.clone()]
    }
}

impl FileParts for Vec<u8> {
    fn file_parts(&self) -> Vec<Bytes> {
        vec![Bytes::copy_from_slice(self)]
    }
}

impl<T: FileParts> FileParts for Option<T> {
    fn file_parts(&self) -> Vec<Bytes> {
        self.as_ref().map(FileParts::file_parts).unwrap_or_default()
    }
}

/// An optional nullable file field: nothing is sent when it is absent or `null` (a file part
/// cannot say `null`).
impl<T: FileParts> FileParts for crate::Nullable<T> {
    fn file_parts(&self) -> Vec<Bytes> {
        match self {
            crate::Nullable::Value(value) => value.file_parts(),
            crate::Nullable::Absent | crate::Nullable::Null => Vec::new(),
        }
    }
}

impl<T: FileParts> FileParts for Vec<T> {
    fn file_parts(&self) -> Vec<Bytes> {
        self.iter().flat_map(FileParts::file_parts).collect()
    }
}

impl<T: FileParts + ?Sized> FileParts for Box<T> {
    fn file_parts(&self) -> Vec<Bytes> {
        (**self).file_parts()
    }
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Multipart {
            form: Form::new(),
            error: None,
        }
    }

    fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(message);
        }
    }

    fn push(&mut self, name: &str, part: Part) {
        let form = std::mem::take(&mut self.form);
        self.form = form.part(name.to_owned(), part);
    }

    fn json_part(&mut self, name: &str, value: &Value) {
        let text = value.to_string();
        match Part::text(text).mime_str("application/json") {
            Ok(part) => self.push(name, part),
            Err(e) => self.fail(format!("multipart field `{name}`: {e}")),
        }
    }

    /// A non-binary field.
    pub fn field<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        let value = match serde_json::to_value(value) {
            Ok(v) => v,
            Err(e) => {
                self.fail(format!(
                    "multipart field `{name}` cannot be serialised: {e}"
                ));
                return self;
            }
        };
        match &value {
            Value::Null => {}
            Value::Object(_) => self.json_part(name, &value),
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::Object(_) | Value::Array(_) => self.json_part(name, item),
                        other => {
                            if let Some(text) = scalar(other) {
                                self.push(name, Part::text(text));
                            }
                        }
                    }
                }
            }
            other => {
                if let Some(text) = scalar(other) {
                    self.push(name, Part::text(text));
                }
            }
        }
        self
    }

    /// Every member of a serialised object as a field (a flattened map of extra properties, or
    /// a body without a declared struct).
    pub fn fields<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        match serde_json::to_value(value) {
            Ok(Value::Object(map)) => {
                for (name, value) in &map {
                    self = self.field(name, value);
                }
            }
            Ok(Value::Null) => {}
            Ok(_) => self.fail("multipart fields must serialise to an object".to_owned()),
            Err(e) => self.fail(format!("multipart fields cannot be serialised: {e}")),
        }
        self
    }

    /// A binary field, sent as a file part named `file_name` (the field name when `None`, since
    /// many servers only treat parts with a file name as files) of type `content_type`
    /// (`application/octet-stream` when `None`).
    pub fn file<F: FileParts + ?Sized>(
        mut self,
        name: &str,
        value: &F,
        file_name: Option<&str>,
        content_type: Option<&str>,
    ) -> Self {
        for bytes in value.file_parts() {
            let part = Part::stream_with_length(bytes.clone(), bytes.len() as u64)
                .file_name(file_name.unwrap_or(name).to_owned())
                .mime_str(content_type.unwrap_or("application/octet-stream"));
            match part {
                Ok(part) => self.push(name, part),
                Err(e) => self.fail(format!(
                    "multipart file `{name}`: invalid content type: {e}"
                )),
            }
        }
        self
    }

    pub(crate) fn into_form(self) -> Result<Form, String> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.form),
        }
    }
}
