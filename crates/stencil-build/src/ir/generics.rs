//! Pydantic generic models. STUB.
