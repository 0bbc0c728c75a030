//! The bundle file (`*.throughline`), format 3. docs/bundle-format.md describes it byte by
//! byte for anyone importing bundles elsewhere (a regional hub).
//!
//! ```text
//! "THRLBNDL"  u16 format  u32 header length  header (JSON)  24-byte nonce  sealed body  64-byte signature
//! ```
//! The header names the team, the signing laptop and the schema, in the clear, so a bundle for
//! another team or from an unknown laptop is refused before anything is decrypted. The body is
//! the operations (postcard), compressed (zstd) and sealed for the team (XChaCha20-Poly1305,
//! with the magic, format and header as associated data). The signature (Ed25519, by the
//! exporting laptop) covers every byte before it.
use super::SyncError;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

pub const MAGIC: &[u8; 8] = b"THRLBNDL";
pub const FORMAT: u16 = 3;
const NONCE_LEN: usize = 24;
const SIGNATURE_LEN: usize = 64;
/// zstd's level 6: a million operations' body (about 400 MB) in about 3 s on one core, at 59
/// bytes an operation (level 3 is 4 times quicker but 62 bytes; level 9 a third slower, 58).
/// A large part of a body is compressed on every core (zstd's own worker threads, each job
/// seeing the end of the one before) while the laptop reads the next ([`BodyWriter`]).
const COMPRESSION_LEVEL: i32 = 6;

/// In the clear, but covered by the signature and bound to the sealed body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub team_id: String,
    pub device_id: String,
    pub exported_at: String,
    pub schema_version: i64,
    /// The team key the body is sealed with: its generation (0 is the team's first; one more
    /// at every revocation) and its id (a hash of the key, [`super::keys::key_id`]).
    pub key_generation: i64,
    pub key_id: String,
    /// That key sealed for each laptop still enrolled ([`super::keys`]), so a laptop that has
    /// not had it yet takes it from the first bundle that uses it. Empty for generation 0.
    pub key_wraps: Vec<KeyWrap>,
}

/// The team key sealed for one laptop: X25519 between a one-off key and the laptop's own
/// (its Ed25519 key as X25519), XChaCha20-Poly1305. Hex throughout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyWrap {
    pub device_id: String,
    pub ephemeral: String,
    pub nonce: String,
    pub sealed: String,
}

/// One operation as it travels. Strings that repeat (laptops, workers, record types) are
/// numbers into the body's tables, and each laptop's operations follow one another by
/// sequence, so clocks and sequence numbers travel as small differences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireOp {
    pub op_id: Id,
    pub origin: u32,
    pub seq_step: i64,
    pub hlc_step: i64,
    pub worker: u32,
    pub record_type: u32,
    pub record_id: Id,
    pub kind: u8,
    pub changes: String,
}

/// An id: 16 bytes when it is a UUID (most are), its text otherwise (a setting's name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Id {
    Uuid([u8; 16]),
    Text(String),
}

impl Id {
    pub fn from_text(s: &str) -> Id {
        match uuid::Uuid::try_parse(s) {
            Ok(u) if u.hyphenated().to_string() == s => Id::Uuid(*u.as_bytes()),
            _ => Id::Text(s.to_string()),
        }
    }

    pub fn into_text(self) -> String {
        match self {
            Id::Uuid(b) => uuid::Uuid::from_bytes(b).hyphenated().to_string(),
            Id::Text(s) => s,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Body {
    /// What the exporting laptop held: per origin laptop, every operation up to this sequence.
    pub holdings: Vec<(String, i64)>,
    pub origins: Vec<String>,
    pub workers: Vec<String>,
    pub record_types: Vec<String>,
    pub ops: Vec<WireOp>,
    /// Per origin whose operations the bundle carries, the head of that laptop's chain at its
    /// last operation here, signed by that laptop ([`super::chains`]).
    pub heads: Vec<SignedHead>,
    /// The exporting laptop's audit trail as it stands, and as others last saw it.
    pub audit: AuditReport,
    /// Author signatures of the operations that need one ([`crate::store::signing`]).
    pub signatures: Vec<OpSignature>,
    /// Workers' keys waiting for an administrator to vouch for them, each signed by the key
    /// itself ([`crate::accounts::worker_keys::Request`]).
    pub key_requests: Vec<KeyRequest>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyRequest {
    pub key: [u8; 32],
    pub worker: String,
    pub laptop: String,
    pub signature: Vec<u8>,
    /// RFC 3339.
    pub asked_at: String,
}

/// An operation's author's signature, by the worker's own key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpSignature {
    /// Index into [`Body::ops`].
    pub op: u32,
    /// The worker's Ed25519 public key.
    pub key: [u8; 32],
    pub signature: Vec<u8>,
}

/// An origin laptop's chain of operations up to `seq`, as that laptop signed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedHead {
    /// Index into [`Body::origins`].
    pub origin: u32,
    pub seq: i64,
    pub chain: [u8; 32],
    /// Ed25519 by the origin laptop over [`super::chains::signed_message`]; none for a chain
    /// this laptop holds only from before heads were signed (accepted by a joining laptop only).
    pub signature: Option<Vec<u8>>,
}

/// Audit heads (an entry's number and hash): the exporter's own now and at its recent exports,
/// and the latest it saw of each other laptop's trail ([`super::witness`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AuditReport {
    pub head: Option<(i64, String)>,
    pub earlier: Vec<(i64, String)>,
    pub seen: Vec<(String, i64, String)>,
}

/// Seals, compresses and signs a body into the bytes of a bundle file.
pub fn write(header: &Header, body: &Body, team_key: &[u8; 32], signer: &SigningKey) -> Result<Vec<u8>, SyncError> {
    let plain = postcard::to_stdvec(body).map_err(|e| SyncError::Corrupt(e.to_string()))?;
    write_plain(header, &plain, team_key, signer)
}

/// As [`write`], from a body already encoded (the fault tests send damaged ones).
pub fn write_plain(header: &Header, plain: &[u8], team_key: &[u8; 32], signer: &SigningKey) -> Result<Vec<u8>, SyncError> {
    write_packed(header, &compress(plain).map_err(unwritten)?, team_key, signer)
}

fn unwritten(e: impl std::fmt::Display) -> SyncError {
    SyncError::Corrupt(format!("the body could not be written ({e})"))
}

/// A body compressed while its operations are gathered ([`super::export_with`]): they are encoded
/// as they are read, and compressed a part at a time on a thread of its own while the laptop
/// reads the next part (an export of a million changes waited about 1.7 s to read them, then
/// about 1.8 s to compress them). Each part is a zstd frame of its own; the first frame holds
/// what comes before the operations (the tables they point into and how many there are, known
/// once all are read). The frames, one after another, decompress to the body postcard writes.
pub(crate) struct BodyWriter {
    part: Vec<u8>,
    ops: usize,
    parts: std::sync::mpsc::SyncSender<Vec<u8>>,
    packed: std::thread::JoinHandle<std::io::Result<Vec<u8>>>,
}

/// A part's size: large enough that a part compresses as well as the whole (zstd's window at
/// level 6 is 2 MiB), small enough that reading and compressing overlap.
const PART: usize = 16 << 20;

impl BodyWriter {
    pub fn new() -> BodyWriter {
        // One part waiting at most: memory stays a few parts whatever the body's size.
        let (parts, received) = std::sync::mpsc::sync_channel::<Vec<u8>>(1);
        let packed = std::thread::spawn(move || {
            let mut packed = Vec::new();
            for part in received {
                packed.extend_from_slice(&compress(&part)?);
            }
            Ok(packed)
        });
        BodyWriter { part: Vec::with_capacity(PART), ops: 0, parts, packed }
    }

    /// How many operations are written so far: the next one's index.
    pub fn ops(&self) -> usize {
        self.ops
    }

    pub fn op(&mut self, op: &WireOp) -> Result<(), SyncError> {
        self.part = postcard::to_extend(op, std::mem::take(&mut self.part)).map_err(unwritten)?;
        self.ops += 1;
        if self.part.len() >= PART {
            let part = std::mem::replace(&mut self.part, Vec::with_capacity(PART));
            self.parts.send(part).map_err(unwritten)?;
        }
        Ok(())
    }

    /// The compressed body: `body` with the operations written here in place of its own.
    pub fn finish(mut self, body: &Body) -> Result<Vec<u8>, SyncError> {
        let rest = (&body.heads, &body.audit, &body.signatures, &body.key_requests);
        let last = postcard::to_extend(&rest, std::mem::take(&mut self.part)).map_err(unwritten)?;
        self.parts.send(last).map_err(unwritten)?;
        drop(self.parts);
        let ops = self.packed.join().map_err(|_| unwritten("its compression stopped"))?.map_err(unwritten)?;
        let before = (&body.holdings, &body.origins, &body.workers, &body.record_types, self.ops);
        let mut packed = compress(&postcard::to_stdvec(&before).map_err(unwritten)?).map_err(unwritten)?;
        packed.extend_from_slice(&ops);
        Ok(packed)
    }
}

/// As [`write`], from a body already compressed ([`BodyWriter`]).
pub(crate) fn write_packed(header: &Header, packed: &[u8], team_key: &[u8; 32], signer: &SigningKey) -> Result<Vec<u8>, SyncError> {
    let header_json = serde_json::to_vec(header).map_err(|e| SyncError::Corrupt(e.to_string()))?;
    let mut out = Vec::with_capacity(packed.len() + header_json.len() + 128);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_be_bytes());
    out.extend_from_slice(&(header_json.len() as u32).to_be_bytes());
    out.extend_from_slice(&header_json);
    let associated = out.clone();
    let mut nonce = [0u8; NONCE_LEN];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonce);
    let sealed = XChaCha20Poly1305::new(team_key.into())
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: packed, aad: &associated })
        .map_err(|_| SyncError::Corrupt("the body could not be sealed".into()))?;
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    let signature = signer.sign(&out);
    out.extend_from_slice(&signature.to_bytes());
    Ok(out)
}

/// A bundle whose frame and header have been read, not yet trusted.
pub struct Unverified<'b> {
    pub header: Header,
    signed: &'b [u8],
    associated: &'b [u8],
    nonce: &'b [u8],
    sealed: &'b [u8],
    signature: &'b [u8],
}

/// Reads the frame and header; the checks that need keys come after.
pub fn read(bytes: &[u8]) -> Result<Unverified<'_>, SyncError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(SyncError::NotABundle);
    }
    let rest = &bytes[MAGIC.len()..];
    if rest.len() < 6 {
        return Err(SyncError::Truncated);
    }
    let format = u16::from_be_bytes([rest[0], rest[1]]);
    if format > FORMAT {
        return Err(SyncError::FutureFormat(format));
    }
    if format != FORMAT {
        return Err(SyncError::OlderFormat(format));
    }
    let header_len = u32::from_be_bytes([rest[2], rest[3], rest[4], rest[5]]) as usize;
    let header_start = MAGIC.len() + 6;
    let header_end = header_start.checked_add(header_len).ok_or(SyncError::Truncated)?;
    if bytes.len() < header_end + NONCE_LEN + 16 + SIGNATURE_LEN {
        return Err(SyncError::Truncated);
    }
    let header: Header =
        serde_json::from_slice(&bytes[header_start..header_end]).map_err(|_| SyncError::Corrupt("its header could not be read".into()))?;
    let signature_start = bytes.len() - SIGNATURE_LEN;
    Ok(Unverified {
        header,
        signed: &bytes[..signature_start],
        associated: &bytes[..header_end],
        nonce: &bytes[header_end..header_end + NONCE_LEN],
        sealed: &bytes[header_end + NONCE_LEN..signature_start],
        signature: &bytes[signature_start..],
    })
}

impl Unverified<'_> {
    /// Checks the signature with the signing laptop's public key.
    pub fn verify(&self, public_key: &VerifyingKey) -> Result<(), SyncError> {
        let signature = Signature::from_slice(self.signature).map_err(|_| SyncError::BadSignature)?;
        public_key.verify(self.signed, &signature).map_err(|_| SyncError::BadSignature)
    }

    /// Opens the sealed body with the team's key (after [`Unverified::verify`]).
    pub fn open(&self, team_key: &[u8; 32]) -> Result<Body, SyncError> {
        let packed = XChaCha20Poly1305::new(team_key.into())
            .decrypt(XNonce::from_slice(self.nonce), Payload { msg: self.sealed, aad: self.associated })
            .map_err(|_| SyncError::CannotDecrypt)?;
        let plain = decompress(&packed)?;
        let body: Body = postcard::from_bytes(&plain).map_err(|_| SyncError::Corrupt("its operations could not be read".into()))?;
        if body.ops.len() > MAX_OPERATIONS {
            return Err(SyncError::Corrupt(format!("it holds more than {MAX_OPERATIONS} changes, more than any bundle is made with")));
        }
        Ok(body)
    }
}

fn compress(plain: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut compressor = zstd::bulk::Compressor::new(COMPRESSION_LEVEL)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores > 1 {
        compressor.set_parameter(zstd::stream::raw::CParameter::NbWorkers(cores as u32))?;
    }
    compressor.compress(plain)
}

/// A bundle's body never grows more than this many times its compressed size (a team's
/// operations compress about 7 times), nor beyond 2 GiB: a small crafted file cannot take the
/// laptop's memory.
const MAX_EXPANSION: usize = 64;
const MAX_BODY_BYTES: usize = 2 << 30;
/// Far more than a team makes in years (a million operations is about ten team-years).
pub const MAX_OPERATIONS: usize = 20_000_000;

/// The size the frames of a compressed body say they decompress to, if every one says.
fn frames_size(mut packed: &[u8]) -> Option<u64> {
    let mut size = 0u64;
    while !packed.is_empty() {
        let frame = zstd::zstd_safe::find_frame_compressed_size(packed).ok()?;
        size = size.checked_add(zstd::zstd_safe::get_frame_content_size(packed).ok()??)?;
        packed = packed.get(frame..)?;
    }
    Some(size)
}

fn decompress(packed: &[u8]) -> Result<Vec<u8>, SyncError> {
    use std::io::Read;
    let unreadable = |_| SyncError::Corrupt("its body could not be decompressed".into());
    let bound = packed.len().saturating_mul(MAX_EXPANSION).saturating_add(1 << 20).min(MAX_BODY_BYTES);
    let too_large =
        || SyncError::Corrupt(format!("its body grows to more than {MAX_EXPANSION} times its compressed size, which no real bundle does"));
    // A body whose frames each say how large they are (as laptops write them) is read straight
    // into that much memory (read as a stream, the memory is zeroed first: half a second for a
    // million changes), and fails if it holds more.
    if let Some(size) = frames_size(packed) {
        if size > bound as u64 {
            return Err(too_large());
        }
        return zstd::bulk::Decompressor::new().and_then(|mut d| d.decompress(packed, size as usize)).map_err(unreadable);
    }
    let mut plain = Vec::with_capacity(bound.min(packed.len().saturating_mul(8)));
    let decoder = zstd::stream::read::Decoder::new(packed).map_err(unreadable)?;
    // One byte past the bound tells a body that is too large from one exactly at it.
    decoder.take(bound as u64 + 1).read_to_end(&mut plain).map_err(unreadable)?;
    if plain.len() > bound {
        return Err(too_large());
    }
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body reads back whether it says its size (compressed whole, as laptops write it) or
    /// not (compressed as a stream), and one that grows far beyond its size is refused either way.
    #[test]
    fn a_body_reads_back_with_or_without_its_size_and_a_bomb_is_refused() {
        let body: Vec<u8> = (0..200_000u32).flat_map(|i| (i % 977).to_le_bytes()).collect();
        let whole = compress(&body).unwrap();
        assert!(matches!(zstd::zstd_safe::get_frame_content_size(&whole), Ok(Some(n)) if n == body.len() as u64));
        assert_eq!(decompress(&whole).unwrap(), body);
        let streamed = zstd::stream::encode_all(&body[..], 3).unwrap();
        assert!(matches!(zstd::zstd_safe::get_frame_content_size(&streamed), Ok(None)));
        assert_eq!(decompress(&streamed).unwrap(), body);

        let zeros = vec![0u8; 200 << 20];
        for packed in [compress(&zeros).unwrap(), zstd::stream::encode_all(&zeros[..], 3).unwrap()] {
            assert!(matches!(decompress(&packed), Err(SyncError::Corrupt(why)) if why.contains("times its compressed size")));
        }
        assert!(matches!(decompress(&whole[..whole.len() / 2]), Err(SyncError::Corrupt(why)) if why.contains("could not be decompressed")));

        // A frame that says it is smaller than it is: refused, not read past its size.
        let mut lying = zstd::bulk::compress(&[7u8; 1000], 3).unwrap();
        let descriptor = lying[4];
        assert_eq!((descriptor >> 6, descriptor & 0x20), (1, 0x20), "one segment, its size in two bytes");
        lying[5..7].copy_from_slice(&0u16.to_le_bytes());
        assert_eq!(frames_size(&lying), Some(256));
        assert!(matches!(decompress(&lying), Err(SyncError::Corrupt(why)) if why.contains("could not be decompressed")));
    }

    /// A body written as its operations are gathered, in several frames, reads back as the
    /// very bytes of the whole body encoded at once.
    #[test]
    fn a_body_written_as_its_operations_are_gathered_is_the_whole_body() {
        let ops: Vec<WireOp> = (0..150_000u32)
            .map(|i| WireOp {
                op_id: Id::Uuid((u128::from(i) * 7919).to_be_bytes()),
                origin: i % 3,
                seq_step: 1,
                hlc_step: i64::from(i % 50),
                worker: i % 7,
                record_type: i % 11,
                record_id: if i % 100 == 0 { Id::Text(format!("setting-{i}")) } else { Id::Uuid((u128::from(i) << 64).to_be_bytes()) },
                kind: (i % 4) as u8,
                changes: format!("{{\"surname\":[null,\"Name{i}\"],\"notes\":[null,\"{}\"]}}", "x".repeat((i % 400) as usize)),
            })
            .collect();
        let body = Body {
            holdings: vec![("a".into(), 5), ("b".into(), 9)],
            origins: vec!["a".into(), "b".into(), "c".into()],
            workers: (0..7).map(|w| format!("worker-{w}")).collect(),
            record_types: (0..11).map(|t| format!("type-{t}")).collect(),
            ops: Vec::new(),
            heads: vec![SignedHead { origin: 1, seq: 9, chain: [3; 32], signature: Some(vec![1, 2, 3]) }],
            audit: AuditReport { head: Some((4, "h".into())), earlier: vec![(2, "e".into())], seen: vec![("b".into(), 1, "s".into())] },
            signatures: vec![OpSignature { op: 17, key: [9; 32], signature: vec![5; 64] }],
            key_requests: vec![KeyRequest {
                key: [1; 32],
                worker: "w".into(),
                laptop: "l".into(),
                signature: vec![2; 64],
                asked_at: "2026-12-07T09:00:00Z".into(),
            }],
        };
        let mut writer = BodyWriter::new();
        for op in &ops {
            writer.op(op).unwrap();
        }
        assert_eq!(writer.ops(), ops.len());
        let packed = writer.finish(&body).unwrap();
        let whole = Body { ops, ..body };
        let plain = postcard::to_stdvec(&whole).unwrap();
        assert!(plain.len() > 2 * PART, "the body spans several parts");
        let mut frames = 0;
        let mut rest = &packed[..];
        while !rest.is_empty() {
            rest = &rest[zstd::zstd_safe::find_frame_compressed_size(rest).unwrap()..];
            frames += 1;
        }
        assert!(frames >= 4, "{frames} frames");
        assert_eq!(frames_size(&packed), Some(plain.len() as u64));
        assert_eq!(decompress(&packed).unwrap(), plain);
        // Read as one stream, as the last version's laptops read a body.
        assert_eq!(zstd::stream::decode_all(&packed[..]).unwrap(), plain);
        assert_eq!(postcard::from_bytes::<Body>(&decompress(&packed).unwrap()).unwrap(), whole);
    }
}
