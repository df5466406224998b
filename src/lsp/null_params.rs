//! Accepts `"params": null` where the method takes no parameters.
//!
//! Some clients (Eglot among them) send `shutdown` and `exit` with
//! `"params": null`; tower-lsp answers those with "Unexpected params" and the
//! client never sees its shutdown acknowledged. JSON-RPC allows omitting
//! params, so a null is rewritten to an absent one before routing.

use std::task::{Context, Poll};

use serde_json::Value;
use tower::Service;
use tower_lsp::jsonrpc::Request;

pub struct NullParams<S>(pub S);

impl<S: Service<Request>> Service<Request> for NullParams<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        self.0.call(without_null_params(req))
    }
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
}
