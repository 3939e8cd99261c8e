//! openapiv3 → IR. STUB: being written.

use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::Api;
use crate::load::Loaded;

pub fn build(_loaded: &Loaded, _warnings: &mut Vec<Diagnostic>) -> Result<Api, Diagnostics> {
    Ok(Api::default())
}
