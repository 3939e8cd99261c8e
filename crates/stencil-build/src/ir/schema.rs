//! A uniform view of openapiv3 schemas. STUB.
