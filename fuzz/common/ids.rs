//! `parse_ids`: every identifier parser on the same text. Whatever parses prints a canonical form
//! (`Display`) that parses back to an equal value; `FromStr`, `TryFrom<&str>`, `TryFrom<String>`
//! and serde agree on acceptance; structured ids rebuild from their parts.

use std::fmt::{Debug, Display};
use std::str::FromStr;

use cloudtrail_policy::{
    AccountId, BucketName, KeyPrefix, KmsAliasArn, KmsAliasName, KmsKeyArn, KmsKeyId, KmsKeyRef,
    OrganizationId, ParseError, Partition, PrincipalArn, PrincipalKind, Region, TrailArn,
    TrailName,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Runs every parser on `data` (as text).
pub fn check(data: &[u8]) {
    let text = super::text(data);
    let s = text.as_ref();
    law::<AccountId>(s);
    law::<BucketName>(s);
    law::<KeyPrefix>(s);
    law::<KmsAliasArn>(s);
    law::<KmsAliasName>(s);
    law::<KmsKeyArn>(s);
    law::<KmsKeyId>(s);
    law::<OrganizationId>(s);
    law::<Partition>(s);
    law::<PrincipalArn>(s);
    law::<Region>(s);
    law::<TrailName>(s);
    structure(s);
}

/// The laws every identifier type obeys on input `s`; returns the parsed value.
fn law<T>(s: &str) -> Option<T>
where
    T: FromStr<Err = ParseError>
        + for<'a> TryFrom<&'a str, Error = ParseError>
        + TryFrom<String, Error = ParseError>
        + Display
        + Debug
        + PartialEq
        + Clone
        + AsRef<str>
        + Into<String>
        + Serialize
        + DeserializeOwned,
{
    let parsed = T::from_str(s);
    // Every way in runs the same parser.
    assert_eq!(T::try_from(s), parsed);
    assert_eq!(T::try_from(s.to_owned()), parsed);
    let via_serde = serde_json::from_value::<T>(serde_json::Value::String(s.to_owned()));
    assert_eq!(
        via_serde.is_ok(),
        parsed.is_ok(),
        "serde and FromStr disagree on {s:?}"
    );
    let value = match parsed {
        Ok(v) => v,
        Err(e) => {
            // The error names what was parsed.
            assert!(!e.to_string().is_empty());
            return None;
        }
    };
    if let Ok(v) = &via_serde {
        assert_eq!(v, &value);
    }
    // Display is canonical: it parses back to the same value, and prints the same again.
    let shown = value.to_string();
    let again = T::from_str(&shown).unwrap_or_else(|e| panic!("{shown:?} does not reparse: {e}"));
    assert_eq!(again, value, "{s:?} → {shown:?}");
    assert_eq!(again.to_string(), shown);
    assert_eq!(value.as_ref(), shown);
    assert_eq!(value.clone().into(), shown);
    // Serde writes the canonical string.
    let json = serde_json::to_string(&value).unwrap_or_default();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json).ok(),
        Some(serde_json::Value::String(shown))
    );
    Some(value)
}

/// Structured identifiers agree with their parts.
fn structure(s: &str) {
    if let Some(arn) = law::<TrailArn>(s) {
        let rebuilt = TrailArn::new(
            arn.partition(),
            arn.region().clone(),
            arn.account().clone(),
            arn.name().clone(),
        );
        assert_eq!(rebuilt.as_ref(), Ok(&arn));
        assert_eq!(arn.region().partition(), arn.partition());
    }
    if let Some(p) = law::<PrincipalArn>(s) {
        if p.kind() == PrincipalKind::Root {
            assert_eq!(PrincipalArn::root(p.partition(), p.account().clone()), p);
            assert_eq!(p.name(), None);
        } else {
            assert!(p.name().is_some_and(|n| !n.is_empty()));
        }
        assert!(p.as_str().contains(p.account().as_str()));
    }
    if let Some(key) = law::<KmsKeyRef>(s) {
        // The reference's variant is the one its own parser accepts.
        match &key {
            KmsKeyRef::KeyArn(k) => assert_eq!(KmsKeyArn::from_str(s).as_ref(), Ok(k)),
            KmsKeyRef::AliasArn(a) => assert_eq!(KmsAliasArn::from_str(s).as_ref(), Ok(a)),
            KmsKeyRef::KeyId(k) => assert_eq!(KmsKeyId::from_str(s).as_ref(), Ok(k)),
            KmsKeyRef::AliasName(a) => assert_eq!(KmsAliasName::from_str(s).as_ref(), Ok(a)),
        }
        if let Some(region) = key.region() {
            assert_eq!(Some(region.partition()), key.partition());
        }
    }
    if let Ok(k) = KmsKeyArn::from_str(s) {
        assert_eq!(k.region().partition(), k.partition());
        assert_eq!(k.is_multi_region(), k.key_id().is_multi_region());
    }
    if let Ok(r) = Region::from_str(s) {
        // A region's partition is one AWS has.
        assert!(Partition::ALL.contains(&r.partition()));
    }
}
