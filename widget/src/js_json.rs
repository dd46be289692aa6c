//! Parsed JSON in the browser (a `JsValue` from `JSON.parse` or `response.json()`), as the survey
//! model's serde-free decoder reads it.

use js_sys::{Array, Object, Reflect};
use survey::decode::Value;
use wasm_bindgen::{JsCast, JsValue};

/// A JS value read as JSON.
pub struct Json(pub JsValue);

impl Value for Json {
    fn field(&self, name: &str) -> Option<Self> {
        if !self.0.is_object() {
            return None;
        }
        let value = Reflect::get(&self.0, &JsValue::from_str(name)).ok()?;
        (!value.is_null() && !value.is_undefined()).then_some(Json(value))
    }

    fn text(&self) -> Option<String> {
        self.0.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }

    fn items(&self) -> Option<Vec<Self>> {
        Array::is_array(&self.0).then(|| Array::from(&self.0).iter().map(Json).collect())
    }

    fn entries(&self) -> Option<Vec<(String, Self)>> {
        if !self.0.is_object() || Array::is_array(&self.0) {
            return None;
        }
        let object = self.0.dyn_ref::<Object>()?;
        Object::entries(object)
            .iter()
            .map(|entry| {
                let pair = Array::from(&entry);
                Some((pair.get(0).as_string()?, Json(pair.get(1))))
            })
            .collect()
    }
}

/// Parses JSON text; `None` if it is not JSON.
pub fn parse(text: &str) -> Option<Json> {
    js_sys::JSON::parse(text).ok().map(Json)
}
