//! How SQLCipher checks each page of the database file: an HMAC over the page, computed when
//! it is written and checked every time it is read from disk. Most of a page read's cost is that
//! check (45% of a PNC search's time, profiled), so it is made with whichever hash this laptop's
//! processor computes quicker. SHA-256 and SHA-512 make equally sound checks; with SHA
//! extensions (AMD since 2017, Intel since 2019's Ice Lake, ARM) SHA-256 is about twice as fast
//! (`openssl speed`, 4 KB: 1.7 GB/s against 0.83), without them SHA-512 is about one and a half
//! times as fast (0.83 against 0.53). A new file is made with the quicker; a file opens whichever
//! it has, wherever it was made; and at sign-in a file with the slower is copied once into the
//! quicker (`Store::open_watched`).
use rusqlite::Connection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PageCheck {
    Sha256,
    /// SQLCipher 4's own default, and so every file made before the choice was made.
    Sha512,
}

impl PageCheck {
    /// The quicker check on this processor.
    pub(super) fn quickest_here() -> PageCheck {
        #[cfg(target_arch = "x86_64")]
        if !std::arch::is_x86_feature_detected!("sha") {
            return PageCheck::Sha512;
        }
        PageCheck::Sha256
    }

    /// Both, the quicker first: the order a file is tried in.
    pub(super) fn in_order_to_try() -> [PageCheck; 2] {
        match PageCheck::quickest_here() {
            PageCheck::Sha256 => [PageCheck::Sha256, PageCheck::Sha512],
            PageCheck::Sha512 => [PageCheck::Sha512, PageCheck::Sha256],
        }
    }

    fn name(self) -> &'static str {
        match self {
            PageCheck::Sha256 => "HMAC_SHA256",
            PageCheck::Sha512 => "HMAC_SHA512",
        }
    }

    /// Sets the check on a connection just keyed, before its first read.
    pub(super) fn set(self, conn: &Connection) -> rusqlite::Result<()> {
        conn.execute_batch(&format!("PRAGMA cipher_hmac_algorithm = {};", self.name()))
    }

    /// The check a keyed connection's file uses.
    pub(super) fn of(conn: &Connection) -> rusqlite::Result<PageCheck> {
        let name: String = conn.query_row("PRAGMA cipher_hmac_algorithm", [], |r| r.get(0))?;
        Ok(if name == PageCheck::Sha256.name() { PageCheck::Sha256 } else { PageCheck::Sha512 })
    }
}
