//! What the snapshot tests share: the repository root and the documents in `specs/`.

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every complete document in `specs/` (not the fragments of the multi-file document, not the
/// deliberately invalid inputs), with its snapshot name.
pub const SPECS: &[(&str, &str)] = &[
    (
        "pathstack_2024_03_26",
        "specs/pathstack/openapi_2024-03-26.yaml",
    ),
    (
        "pathstack_2024_03_26_token",
        "specs/pathstack/openapi_2024-03-26.token.yaml",
    ),
    (
        "pathstack_2024_03_27",
        "specs/pathstack/openapi_2024-03-27.yaml",
    ),
    ("kitchen_sink_3_0", "specs/fixtures/kitchen-sink-3.0.yaml"),
    ("kitchen_sink_3_1", "specs/fixtures/kitchen-sink-3.1.yaml"),
    ("petstore_3_0", "specs/fixtures/petstore-3.0.json"),
    ("pagination", "specs/fixtures/pagination.yaml"),
    ("multi_file", "specs/fixtures/multi-file/api.yaml"),
    ("streaming", "specs/fixtures/streaming.yaml"),
    ("streaming_3_2", "specs/fixtures/streaming-3.2.yaml"),
    ("fastapi_stream", "specs/fastapi-stream/openapi.json"),
    ("hostile", "specs/fixtures/hostile.yaml"),
    ("real_world", "specs/fixtures/real-world.yaml"),
    ("fastapi_diff", "specs/fastapi-diff/openapi.json"),
    ("openapi_3_1_gaps", "specs/fixtures/openapi-3.1-gaps.yaml"),
    ("openapi_3_2", "specs/fixtures/openapi-3.2.yaml"),
    ("webhook_example", "specs/fixtures/webhook-example.yaml"),
    ("callback_example", "specs/fixtures/callback-example.yaml"),
    ("fastapi_webhooks", "specs/fastapi-webhooks/openapi.json"),
];
