//! Cookie names and attributes. In production every cookie is `__Host-`
//! prefixed, Secure, HttpOnly and SameSite=Strict; the development switch
//! drops the prefix and `Secure` so plain http on localhost works.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

pub const SESSION: &str = "waymark_session";
pub const DEVICE: &str = "waymark_device";
pub const LOGIN_CSRF: &str = "waymark_login";

pub fn name(base: &str, secure: bool) -> String {
    if secure {
        format!("__Host-{base}")
    } else {
        base.to_string()
    }
}

/// The value of a cookie the browser sent.
pub fn get(headers: &HeaderMap, base: &str, secure: bool) -> Option<String> {
    let wanted = name(base, secure);
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == wanted)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 200)
}

/// A `Set-Cookie` value. `max_age` of `None` makes a browser-session cookie.
pub fn set(base: &str, value: &str, secure: bool, max_age: Option<i64>) -> String {
    let mut cookie = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict",
        name(base, secure)
    );
    if secure {
        cookie.push_str("; Secure");
    }
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    cookie
}

pub fn clear(base: &str, secure: bool) -> String {
    set(base, "", secure, Some(0))
}
