//! Params as clients send them, made what tower-lsp decodes right, before
//! routing.
//!
//! Some clients (Eglot among them) send `shutdown` and `exit` with
//! `"params": null`; tower-lsp answers those with "Unexpected params" and the
//! client never sees its shutdown acknowledged. JSON-RPC allows omitting
//! params, so a null is rewritten to an absent one.
//!
//! The specification names the client's workspace diagnostic capabilities
//! `workspace.diagnostics` (VS Code sends that), but lsp-types 0.94 reads
//! `workspace.diagnostic`, so `refreshSupport` was never seen and VS Code
//! counted as a client that cannot be asked to pull again. `initialize`
//! gets the spec's name copied to the one lsp-types reads.

use serde_json::Value;
use tower_lsp::jsonrpc::Request;

/// `req` as tower-lsp and lsp-types read it right.
pub fn normalized(req: Request) -> Request {
    with_spec_names(without_null_params(req))
}

fn with_spec_names(req: Request) -> Request {
    if req.method() != "initialize" {
        return req;
    }
    let spec = req
        .params()
        .and_then(|p| p.pointer("/capabilities/workspace/diagnostics"))
        .cloned();
    let Some(spec) = spec else {
        return req;
    };
    let (method, id, params) = req.into_parts();
    let mut params = params.unwrap_or(Value::Null);
    if let Some(workspace) = params
        .pointer_mut("/capabilities/workspace")
        .and_then(Value::as_object_mut)
    {
        workspace.entry("diagnostic").or_insert(spec);
    }
    let mut b = Request::build(method).params(params);
    if let Some(id) = id {
        b = b.id(id);
    }
    b.finish()
}

fn without_null_params(req: Request) -> Request {
    if req.params() != Some(&Value::Null) {
        return req;
    }
    let mut b = Request::build(req.method().to_string());
    if let Some(id) = req.id() {
        b = b.id(id.clone());
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn null_params_are_dropped_and_others_kept() {
        let r = Request::build("shutdown")
            .id(1)
            .params(Value::Null)
            .finish();
        let r = without_null_params(r);
        assert_eq!(r.params(), None);
        assert_eq!(r.id().map(ToString::to_string), Some("1".to_string()));
        let r = Request::build("x").params(json!({"a": 1})).finish();
        assert_eq!(without_null_params(r).params(), Some(&json!({"a": 1})));
    }

    #[test]
    fn workspace_diagnostics_under_the_spec_name_reach_lsp_types() {
        let r = Request::build("initialize")
            .id(1)
            .params(
                json!({"capabilities": {"workspace": {"diagnostics": {"refreshSupport": true}}}}),
            )
            .finish();
        let r = with_spec_names(r);
        assert_eq!(
            r.params()
                .and_then(|p| p.pointer("/capabilities/workspace/diagnostic/refreshSupport")),
            Some(&json!(true))
        );
    }
}
