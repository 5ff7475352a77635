//! Statements as written: the text of each statement of a policy, and the two layouts (minified,
//! pretty) that change only the whitespace between JSON tokens, so that a merge writes a foreign
//! statement back with its member order, its one-element arrays, its numbers and its strings
//! exactly as the user wrote them.

use serde::Deserialize;
use serde_json::value::RawValue;

/// The top level of a policy, for its `Statement` member as written; the rest is read by the
/// policy parser.
#[derive(Deserialize)]
struct Top<'a> {
    #[serde(rename = "Statement", borrow)]
    statement: &'a RawValue,
}

/// The text of each statement of the policy `text`, in order, minified; `None` when `text` is not
/// a JSON object with a `Statement` (the policy parser has refused it then).
pub(crate) fn statement_texts(text: &str) -> Option<Vec<String>> {
    let top: Top<'_> = serde_json::from_str(text).ok()?;
    let raw = top.statement.get();
    if raw.starts_with('[') {
        let items: Vec<&RawValue> = serde_json::from_str(raw).ok()?;
        Some(items.into_iter().map(|i| minify(i.get())).collect())
    } else {
        Some(vec![minify(raw)])
    }
}

/// Whether `c`, read inside a JSON string after `escaped` (whether the character before was an
/// escaping backslash, updated here), is the string's closing quote.
fn closes_string(c: char, escaped: &mut bool) -> bool {
    if *escaped {
        *escaped = false;
        false
    } else {
        *escaped = c == '\\';
        c == '"'
    }
}

/// `json` (valid JSON) without the whitespace between tokens; strings are copied as they are.
pub(crate) fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            in_string = !closes_string(c, &mut escaped);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

/// Minified JSON laid out as `serde_json::to_string_pretty` lays out a value: two-space indent,
/// one member or element a line, `": "` after a key, `[]` and `{}` for empty containers.
pub(crate) fn pretty(minified: &str) -> String {
    let mut out = String::with_capacity(minified.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    let mut chars = minified.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            in_string = !closes_string(c, &mut escaped);
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    chars.next();
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_keep_everything_but_whitespace() {
        let text = r#"{ "Version": "2012-10-17", "Statement": [
            { "Sid": "A", "Effect": "Allow", "Action": ["s3:GetObject"],
              "Condition": {"NumericLessThan": {"s3:max-keys": 123456789012345678901234567890}},
              "Resource": "arn:aws:s3:::b/a b/\"q\"/\u00e9/*" },
            {"Sid":"B","Effect":"Deny","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":false}}}
        ] }"#;
        let texts = statement_texts(text).unwrap();
        assert_eq!(
            texts,
            [
                r#"{"Sid":"A","Effect":"Allow","Action":["s3:GetObject"],"Condition":{"NumericLessThan":{"s3:max-keys":123456789012345678901234567890}},"Resource":"arn:aws:s3:::b/a b/\"q\"/\u00e9/*"}"#,
                r#"{"Sid":"B","Effect":"Deny","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":false}}}"#,
            ]
        );
        let single = statement_texts(r#"{"Statement": {"Effect": "Allow"}}"#).unwrap();
        assert_eq!(single, [r#"{"Effect":"Allow"}"#]);
        assert_eq!(statement_texts("[]"), None);
    }

    #[test]
    fn pretty_is_serde_json_pretty() {
        for text in [
            r#"{"a":[],"b":{},"c":[1,{"d":"x,y:{}[]\"\\"}],"e":{"f":null,"g":true}}"#,
            r#"[]"#,
            r#"{"Statement":[{"Action":["a","b"],"Effect":"Allow","Sid":"S"}]}"#,
        ] {
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(pretty(text), serde_json::to_string_pretty(&value).unwrap());
            assert_eq!(minify(&pretty(text)), text);
        }
    }
}
