//! `policy_document`: any text as a policy. Whatever parses re-serializes (minified and pretty)
//! to text that parses to an equal document and serializes to the same bytes again; the size
//! functions are the lengths of those texts; serde's `Deserialize` agrees with `from_json`.

use cloudtrail_policy::document::PolicyDocument;

/// Parses `data` (as text) as a policy and checks the round trips.
pub fn check(data: &[u8]) {
    let text = super::text(data);
    let parsed = PolicyDocument::from_json(&text);
    let via_serde = serde_json::from_str::<PolicyDocument>(&text);
    assert_eq!(
        via_serde.is_ok(),
        parsed.is_ok(),
        "Deserialize and from_json disagree"
    );
    let Ok(doc) = parsed else { return };
    if let Ok(d) = &via_serde {
        assert_eq!(d, &doc);
    }
    round_trip(&doc);
}

/// The serialization laws of one document.
pub fn round_trip(doc: &PolicyDocument) {
    let minified = doc.to_json();
    let pretty = doc.to_json_pretty();
    assert!(!minified.is_empty(), "serialization failed");
    assert_eq!(doc.minified_len(), minified.len());
    assert_eq!(doc.pretty_len(), pretty.len());
    assert!(minified.len() <= pretty.len());
    for text in [&minified, &pretty] {
        let again = PolicyDocument::from_json(text)
            .unwrap_or_else(|e| panic!("serialized policy does not reparse: {e}\n{text}"));
        assert_eq!(&again, doc, "round trip changed the document:\n{text}");
        assert_eq!(again.to_json(), minified);
    }
    // Both texts are the same JSON value.
    let a = serde_json::from_str::<serde_json::Value>(&minified).ok();
    let b = serde_json::from_str::<serde_json::Value>(&pretty).ok();
    assert!(a.is_some());
    assert_eq!(a, b);
}
