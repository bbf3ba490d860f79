//! The audit log's hash chain. Each event's hash covers its own fields and
//! the previous event's hash, so altering, deleting or reordering any event
//! breaks the chain at that point, and [`verify_chain`] names where.

use sha2::{Digest, Sha256};

/// The hash the first event links back to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, as a use case says it: the one list of an audit event's
/// fields. The store adds the sequence number and the hashes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventRecord {
    pub id: String,
    pub occurred_at: String,
    pub actor_id: Option<String>,
    pub actor_label: String,
    pub action: String,
    pub record_type: String,
    pub record_id: Option<String>,
    pub organisation_id: Option<String>,
    pub service_id: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// One audit event as stored: the record, its place in the chain, and the
/// hashes that cover them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub seq: i64,
    pub record: EventRecord,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an event given the hash before it. Every field is written
/// with its length first, so no two different events hash the same text.
pub fn event_hash(event: &AuditEvent, prev_hash: &str) -> String {
    let mut hasher = Sha256::new();
    let mut field = |value: Option<&str>| match value {
        None => hasher.update(b"-;"),
        Some(v) => {
            hasher.update(v.len().to_string().as_bytes());
            hasher.update(b":");
            hasher.update(v.as_bytes());
            hasher.update(b";");
        }
    };
    field(Some(&event.seq.to_string()));
    let event = &event.record;
    field(Some(&event.id));
    field(Some(&event.occurred_at));
    field(event.actor_id.as_deref());
    field(Some(&event.actor_label));
    field(Some(&event.action));
    field(Some(&event.record_type));
    field(event.record_id.as_deref());
    field(event.organisation_id.as_deref());
    field(event.service_id.as_deref());
    field(event.before_json.as_deref());
    field(event.after_json.as_deref());
    field(Some(prev_hash));
    hex::encode(hasher.finalize())
}

/// The first place where the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BrokenLink {
    #[error("event {seq}: its contents do not match its hash (the event was altered)")]
    Altered { seq: i64 },
    #[error(
        "event {seq}: it does not follow event {expected_previous} (an event was deleted or the order changed)"
    )]
    Unlinked { seq: i64, expected_previous: i64 },
    #[error(
        "event {found} found where event {expected} was expected (events were deleted or reordered)"
    )]
    OutOfSequence { expected: i64, found: i64 },
    #[error(
        "the log ends at event {last_seq} but the chain head records event {head_seq} (events at the end were deleted)"
    )]
    Truncated { last_seq: i64, head_seq: i64 },
}

/// Checks events one at a time, in stored order, so a long log can be
/// verified while it is read.
#[derive(Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
        }
    }
}

impl ChainVerifier {
    pub fn push(&mut self, event: &AuditEvent) -> Result<(), BrokenLink> {
        if event.seq != self.expected_seq {
            return Err(BrokenLink::OutOfSequence {
                expected: self.expected_seq,
                found: event.seq,
            });
        }
        if event.prev_hash != self.prev_hash {
            return Err(BrokenLink::Unlinked {
                seq: event.seq,
                expected_previous: self.expected_seq - 1,
            });
        }
        if event_hash(event, &event.prev_hash) != event.hash {
            return Err(BrokenLink::Altered { seq: event.seq });
        }
        self.prev_hash = event.hash.clone();
        self.expected_seq += 1;
        Ok(())
    }

    /// Compares the end of the log with the chain head (the last sequence
    /// number and hash recorded when an event was added); returns how many
    /// events were checked.
    pub fn finish(self, head: (i64, &str)) -> Result<u64, BrokenLink> {
        let last_seq = self.expected_seq - 1;
        if last_seq != head.0 || (last_seq > 0 && self.prev_hash != head.1) {
            return Err(BrokenLink::Truncated {
                last_seq,
                head_seq: head.0,
            });
        }
        Ok(u64::try_from(last_seq).unwrap_or(0))
    }
}

/// Checks a whole sequence of events against the chain head.
pub fn verify_chain<I>(events: I, head: (i64, &str)) -> Result<u64, BrokenLink>
where
    I: IntoIterator<Item = AuditEvent>,
{
    let mut verifier = ChainVerifier::default();
    for event in events {
        verifier.push(&event)?;
    }
    verifier.finish(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEvent> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEvent {
                    seq,
                    record: EventRecord {
                        id: format!("id-{seq}"),
                        occurred_at: format!("2026-11-22T10:00:{seq:02}.000000Z"),
                        actor_id: Some("user-1".into()),
                        actor_label: "admin@example.test".into(),
                        action: "team.created".into(),
                        record_type: "team".into(),
                        record_id: Some(format!("team-{seq}")),
                        organisation_id: None,
                        service_id: Some("svc".into()),
                        before_json: None,
                        after_json: Some(format!("{{\"name\":\"Team {seq}\"}}")),
                    },
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = event_hash(&e, &prev);
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn head(events: &[AuditEvent]) -> (i64, String) {
        events
            .last()
            .map(|e| (e.seq, e.hash.clone()))
            .unwrap_or((0, GENESIS_HASH.into()))
    }

    #[test]
    fn an_intact_chain_verifies() {
        let events = chain(5);
        let (seq, hash) = head(&events);
        assert_eq!(verify_chain(events, (seq, &hash)), Ok(5));
        assert_eq!(verify_chain(Vec::new(), (0, GENESIS_HASH)), Ok(0));
    }

    #[test]
    fn tampering_is_found_and_named() {
        let original = chain(5);
        let (seq, hash) = head(&original);

        let mut altered = original.clone();
        altered[2].record.after_json = Some("{\"name\":\"Changed\"}".into());
        assert_eq!(
            verify_chain(altered, (seq, &hash)),
            Err(BrokenLink::Altered { seq: 3 })
        );

        let mut deleted = original.clone();
        deleted.remove(1);
        assert_eq!(
            verify_chain(deleted, (seq, &hash)),
            Err(BrokenLink::OutOfSequence {
                expected: 2,
                found: 3
            })
        );

        // Reordering with the sequence numbers swapped too still breaks the links.
        let mut reordered = original.clone();
        reordered.swap(1, 2);
        reordered[1].seq = 2;
        reordered[2].seq = 3;
        assert_eq!(
            verify_chain(reordered, (seq, &hash)),
            Err(BrokenLink::Unlinked {
                seq: 2,
                expected_previous: 1
            })
        );

        let mut truncated = original.clone();
        truncated.pop();
        assert_eq!(
            verify_chain(truncated, (seq, &hash)),
            Err(BrokenLink::Truncated {
                last_seq: 4,
                head_seq: 5
            })
        );
    }

    #[test]
    fn field_boundaries_matter() {
        let mut a = chain(1).remove(0);
        let mut b = a.clone();
        a.record.record_type = "ab".into();
        a.record.record_id = Some("c".into());
        b.record.record_type = "a".into();
        b.record.record_id = Some("bc".into());
        assert_ne!(event_hash(&a, GENESIS_HASH), event_hash(&b, GENESIS_HASH));
    }

    #[test]
    fn a_log_that_ends_short_of_its_head_is_truncated() {
        let events = chain(3);
        let (seq, hash) = head(&events);
        // The head says three events, the log holds two.
        assert_eq!(
            verify_chain(events[..2].to_vec(), (seq, &hash)),
            Err(BrokenLink::Truncated {
                last_seq: 2,
                head_seq: 3
            })
        );
        // The right count with the wrong last hash (the last event replaced).
        assert_eq!(
            verify_chain(events.clone(), (seq, "not-the-hash")),
            Err(BrokenLink::Truncated {
                last_seq: 3,
                head_seq: 3
            })
        );
        // An empty log against an empty head is whole, whatever its hash.
        assert_eq!(verify_chain(Vec::new(), (0, "anything")), Ok(0));
        // A log longer than its head.
        assert!(verify_chain(events, (2, &hash)).is_err());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn build(texts: &[String]) -> Vec<AuditEvent> {
        let mut prev = GENESIS_HASH.to_string();
        texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let seq = i as i64 + 1;
                let mut e = AuditEvent {
                    seq,
                    record: EventRecord {
                        id: format!("id-{seq}"),
                        occurred_at: "2026-11-22T10:00:00.000000Z".into(),
                        actor_id: None,
                        actor_label: "someone".into(),
                        action: "thing.done".into(),
                        record_type: "thing".into(),
                        record_id: Some(text.clone()),
                        organisation_id: None,
                        service_id: None,
                        before_json: None,
                        after_json: Some(text.clone()),
                    },
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = event_hash(&e, &prev);
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    proptest! {
        /// Any change to any event's contents is caught at that event.
        #[test]
        fn any_altered_event_is_caught_where_it_was_altered(
            texts in proptest::collection::vec("[a-z]{0,12}", 1..20),
            pick in any::<prop::sample::Index>(),
            replacement in "[A-Z]{1,12}",
        ) {
            let mut events = build(&texts);
            let head = (events.len() as i64, events.last().map(|e| e.hash.clone()).unwrap_or_default());
            let i = pick.index(events.len());
            events[i].record.after_json = Some(replacement);
            prop_assert_eq!(
                verify_chain(events, (head.0, &head.1)),
                Err(BrokenLink::Altered { seq: i as i64 + 1 })
            );
        }

        /// Removing any one event is caught.
        #[test]
        fn any_removed_event_is_caught(
            texts in proptest::collection::vec("[a-z]{0,12}", 2..20),
            pick in any::<prop::sample::Index>(),
        ) {
            let mut events = build(&texts);
            let head = (events.len() as i64, events.last().map(|e| e.hash.clone()).unwrap_or_default());
            events.remove(pick.index(events.len()));
            prop_assert!(verify_chain(events, (head.0, &head.1)).is_err());
        }
    }
}
