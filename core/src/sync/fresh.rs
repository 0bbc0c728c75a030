//! An arrived change of a record this laptop knew nothing of, read in place from its JSON.
//!
//! Most of a team's history arrives so (a laptop or hub that has none of it), and such a
//! record is written once from its changes: only each field's winning value is needed, so the
//! names and values are borrowed from the operation rather than copied into a
//! [`crate::store::history::Change`] (a million changes: about 4 s of their 40 s import was
//! that copying). A record held before is worked out from its whole history as ever.
use super::apply::Incoming;
use rusqlite::types::{ToSql, ToSqlOutput, ValueRef};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// One change as [`Incoming::changes`] holds it: `{"field": [old, new, seen], ...}`.
pub struct Fresh<'o> {
    pub hlc: i64,
    pub device_id: &'o str,
    /// A create or an append: the change that makes the record.
    pub makes: bool,
    /// Each field it changes, with the value it gave (none if it gave none).
    pub fields: Vec<(Cow<'o, str>, Option<Literal<'o>>)>,
}

impl<'o> Fresh<'o> {
    /// None when the changes are not a JSON object of fields.
    pub fn read(op: &'o Incoming) -> Option<Fresh<'o>> {
        let Fields(fields) = serde_json::from_str(&op.changes).ok()?;
        Some(Fresh { hlc: op.hlc, device_id: &op.device_id, makes: matches!(op.kind, "create" | "append"), fields })
    }

    /// The order every laptop agrees on, as [`crate::store::history::Change::beats`].
    pub fn order(&self) -> (i64, &'o str) {
        (self.hlc, self.device_id)
    }
}

/// A value as SQLite keeps it, as [`crate::store::record::to_sql`] converts a JSON one: text
/// borrowed from the change, an array or object as its JSON text.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal<'o> {
    Null,
    Integer(i64),
    Real(f64),
    Text(Cow<'o, str>),
}

impl ToSql for Literal<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Literal::Null => ValueRef::Null,
            Literal::Integer(i) => ValueRef::Integer(*i),
            Literal::Real(f) => ValueRef::Real(*f),
            Literal::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

/// The fields of a change, each once (a name given twice keeps its last value, as a JSON map).
struct Fields<'o>(Vec<(Cow<'o, str>, Option<Literal<'o>>)>);

impl<'de: 'o, 'o> Deserialize<'de> for Fields<'o> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'o>(std::marker::PhantomData<&'o ()>);
        impl<'de: 'o, 'o> Visitor<'de> for V<'o> {
            type Value = Fields<'o>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut fields: Vec<(Cow<'o, str>, Option<Literal<'o>>)> = Vec::new();
                while let Some(Text(name)) = map.next_key()? {
                    let NewValue(value) = map.next_value()?;
                    match fields.iter_mut().find(|(f, _)| *f == name) {
                        Some(slot) => slot.1 = value,
                        None => fields.push((name, value)),
                    }
                }
                Ok(Fields(fields))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// A field's name, borrowed where the JSON holds it without escapes.
#[derive(Deserialize)]
struct Text<'o>(#[serde(borrow)] Cow<'o, str>);

/// A field's change `[old, new, seen]`: its new value, none if it has none (as
/// [`crate::store::history::Change::new_value`] reads it).
struct NewValue<'o>(Option<Literal<'o>>);

impl<'de: 'o, 'o> Deserialize<'de> for NewValue<'o> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'o>(std::marker::PhantomData<&'o ()>);
        impl<'de: 'o, 'o> Visitor<'de> for V<'o> {
            type Value = NewValue<'o>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field's change")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let new = match seq.next_element::<IgnoredAny>()? {
                    Some(_) => seq.next_element::<Literal<'o>>()?,
                    None => None,
                };
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(NewValue(new))
            }
            // Anything but an array gives no value.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(NewValue(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(NewValue(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(NewValue(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(NewValue(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(NewValue(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(NewValue(None))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(NewValue(None))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<'de: 'o, 'o> Deserialize<'de> for Literal<'o> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'o>(std::marker::PhantomData<&'o ()>);
        impl<'de: 'o, 'o> Visitor<'de> for V<'o> {
            type Value = Literal<'o>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Literal::Null)
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
                Ok(Literal::Integer(i64::from(b)))
            }
            fn visit_i64<E: de::Error>(self, i: i64) -> Result<Self::Value, E> {
                Ok(Literal::Integer(i))
            }
            fn visit_u64<E: de::Error>(self, u: u64) -> Result<Self::Value, E> {
                Ok(i64::try_from(u).map_or(Literal::Real(u as f64), Literal::Integer))
            }
            fn visit_f64<E: de::Error>(self, f: f64) -> Result<Self::Value, E> {
                Ok(Literal::Real(f))
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Literal::Text(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Literal::Text(Cow::Owned(s.to_string())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                let value = serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(Literal::Text(Cow::Owned(value.to_string())))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let value = serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Literal::Text(Cow::Owned(value.to_string())))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::history::Change;
    use crate::store::record::to_sql;

    fn op(changes: &str) -> Incoming {
        Incoming {
            op_id: "op".into(),
            device_id: "laptop".into(),
            seq: 1,
            hlc: 7,
            worker_id: "w".into(),
            record_type: "client".into(),
            record_id: "c".into(),
            kind: "create",
            changes: changes.into(),
        }
    }

    /// Each field's value read in place is what the history's copy gives SQLite.
    #[test]
    fn a_change_read_in_place_gives_what_the_history_gives() {
        let json = r#"{"a": [null, "Smith"], "b": [1, 2, ["x"]], "c": [null, 2.5], "d": [null, true], "e": [null, null],
            "f": [null, "O\"Brien \u00e9"], "g": [null, [1, {"k": "v"}]], "h": [null, {"k": [1]}], "i": [null],
            "j": "not a change", "k": {"1": 2}, "l": [null, 18446744073709551615], "m": [null, -3], "a": [null, "Jones"]}"#;
        let incoming = op(json);
        let fresh = Fresh::read(&incoming).expect("read");
        let serde_json::Value::Object(fields) = serde_json::from_str(json).unwrap() else { panic!() };
        let change =
            Change { op_id: "op".into(), device_id: "laptop".into(), hlc: 7, worker_id: "w".into(), kind: "create".into(), fields };
        assert_eq!(fresh.fields.len(), change.fields.len());
        for (name, value) in &fresh.fields {
            let theirs = change.new_value(name).map(to_sql);
            let ours = value.as_ref().map(|v| v.to_sql().unwrap());
            assert_eq!(ours, theirs.as_ref().map(|v| ToSqlOutput::Borrowed(v.into())), "field {name}");
        }
        assert!(fresh.makes);
        // Names and text without escapes are the operation's own bytes, not copies.
        assert!(fresh.fields.iter().any(|(name, value)| name == "a"
            && matches!(name, Cow::Borrowed(_))
            && matches!(value, Some(Literal::Text(Cow::Borrowed("Jones"))))));
        assert!(Fresh::read(&op("[1, 2]")).is_none());
        assert!(Fresh::read(&op("{\"a\": ")).is_none());
    }
}
