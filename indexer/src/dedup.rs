//! Near-duplicate detection: the same article republished on several sites, with a credit line added, a
//! sentence changed or another photo caption, should be indexed once with every source listed.
//!
//! Each text is reduced to the set of its folded word 3-shingles, and two texts are near-duplicates when
//! those sets overlap by at least [`MIN_JACCARD`] (Jaccard similarity). Comparing every pair would be
//! quadratic, so each set is summarized by a MinHash signature ([`SIGNATURE_LEN`] minimums of hashed
//! shingles, whose agreement rate estimates the Jaccard similarity), and candidates are found by
//! locality-sensitive hashing: texts that agree on all the minimums of one band of the signature. Very
//! short texts are left out: a few shared words are not a duplicate.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use kho_core::analysis::{Form, VietnameseTokenizer};
use kho_core::fxhash::FxBuildHasher;
use tantivy::tokenizer::{TokenStream, Tokenizer};

/// Texts with fewer words than this are never called duplicates.
const MIN_WORDS: usize = 40;
/// Shared share of shingles from which two texts are one article.
pub const MIN_JACCARD: f64 = 0.8;
const SHINGLE: usize = 3;
const SIGNATURE_LEN: usize = 64;
/// 16 bands of 4 rows: pairs at Jaccard 0.8 become candidates with probability 1 - (1 - 0.8^4)^16 > 0.999.
const BANDS: usize = 16;
const ROWS: usize = SIGNATURE_LEN / BANDS;

/// A text's MinHash signature.
pub type Signature = [u64; SIGNATURE_LEN];

/// The MinHash signature of a text, or `None` when it is too short to compare.
///
/// The folded words are read from the tokenizer's stream (the text's analysis, shared with the metadata
/// tags when they ran on this thread just before) into a ring of the last three, without collecting
/// them; each shingle is hashed as the slice of its three words, so the values are those of
/// `analyze(text, Form::Folded).windows(3)` (see the test).
pub fn signature(text: &str) -> Option<Signature> {
    let mut stream = VietnameseTokenizer::new(Form::Folded).token_stream(text);
    let mut ring: [String; SHINGLE] = Default::default();
    let mut words = 0;
    let mut signature = [u64::MAX; SIGNATURE_LEN];
    while stream.advance() {
        let slot = &mut ring[words % SHINGLE];
        slot.clear();
        slot.push_str(&stream.token().text);
        words += 1;
        if words < SHINGLE {
            continue;
        }
        let shingle: [&str; SHINGLE] = std::array::from_fn(|k| ring[(words + k) % SHINGLE].as_str());
        let mut hasher = DefaultHasher::new();
        shingle.hash(&mut hasher);
        let base = hasher.finish();
        for (slot, seed) in signature.iter_mut().zip(SEEDS.iter()) {
            let value = mix(base ^ seed);
            if value < *slot {
                *slot = value;
            }
        }
    }
    (words >= MIN_WORDS).then_some(signature)
}

/// Fixed seeds, one per signature position (from a SplitMix64 sequence).
static SEEDS: std::sync::LazyLock<[u64; SIGNATURE_LEN]> = std::sync::LazyLock::new(|| {
    let mut seeds = [0u64; SIGNATURE_LEN];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for seed in &mut seeds {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        *seed = mix(state);
    }
    seeds
});

/// SplitMix64's finalizer: a cheap, well-spread 64-bit hash.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The estimated Jaccard similarity of two texts' shingle sets.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / SIGNATURE_LEN as f64
}

/// One key per band of the signature, the same in every run and Rust version (some are stored in the
/// index, see [`indexed_band_keys`]): texts sharing a key are near-duplicate candidates.
pub fn band_keys(signature: &Signature) -> Vec<u64> {
    (0..BANDS).map(|band| band_key(signature, band)).collect()
}

/// The keys written to the index (`KhoSchema::dup_band`) and looked up there: the first
/// [`INDEXED_BANDS`] bands. Every key is a term of its own in the term dictionary (about 20 bytes each, 7%
/// of the index with all 16), so the index keeps half: pairs at Jaccard 0.8 are still found with
/// probability 1 - (1 - 0.8^4)^8 = 0.985, at 0.85 0.997 and at 0.9 0.9998.
pub fn indexed_band_keys(signature: &Signature) -> Vec<u64> {
    (0..INDEXED_BANDS).map(|band| band_key(signature, band)).collect()
}

const INDEXED_BANDS: usize = 8;

fn band_key(signature: &Signature, band: usize) -> u64 {
    signature[band * ROWS..(band + 1) * ROWS].iter().fold(mix(band as u64 + 1), |key, row| mix(key ^ row))
}

/// For every text, the index of the first text of its near-duplicate group (itself when it is first or
/// unique).
///
/// Each band's buckets are kept as the last text seen with each key and, for every text, the one before
/// it with the same key (a chain through the bucket, newest first): about 30 bytes per text and band,
/// where a vector per bucket cost about 80 (1.3 GB of the 1,000,000-article import's memory). The
/// groups do not depend on the order a bucket is walked in: every pair that shares a key is either
/// compared or already in one group, and a group's representative is its smallest index.
pub fn cluster(signatures: &[Option<Signature>]) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..signatures.len()).collect();
    let mut last: Vec<HashMap<u64, usize, FxBuildHasher>> = (0..BANDS).map(|_| HashMap::default()).collect();
    let mut before: Vec<Vec<usize>> = (0..BANDS).map(|_| vec![NO_TEXT; signatures.len()]).collect();
    for (i, signature) in signatures.iter().enumerate() {
        let Some(signature) = signature else { continue };
        for (band, key) in band_keys(signature).into_iter().enumerate() {
            let mut j = last[band].insert(key, i).unwrap_or(NO_TEXT);
            before[band][i] = j;
            while j != NO_TEXT {
                if find(&mut parent, i) != find(&mut parent, j) {
                    if let Some(other) = &signatures[j] {
                        if similarity(signature, other) >= MIN_JACCARD {
                            union(&mut parent, i, j);
                        }
                    }
                }
                j = before[band][j];
            }
        }
    }
    (0..signatures.len()).map(|i| find(&mut parent, i)).collect()
}

/// The end of a bucket's chain.
const NO_TEXT: usize = usize::MAX;

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Joins two groups under the smaller index, so a group's representative is its first text.
fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
    parent[high] = low;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(extra: &str) -> String {
        format!(
            "Ngày 14/4/2011, tại Khách sạn Hùng Vương, TP Bến Tre, Sở Công Thương Bến Tre tổ chức hội thảo chia sẻ \
             kinh nghiệm về hoạt động sản xuất sạch hơn trong công nghiệp trên địa bàn tỉnh. Đến tham dự hội thảo \
             có đại diện lãnh đạo Văn phòng SXSH Bộ Công Thương, đại diện Sở Công Thương Bến Tre cùng 16 Sở Công \
             Thương và Trung tâm Khuyến công các tỉnh phía Nam. Phó Giám đốc Trung tâm Khuyến công báo cáo kết quả \
             triển khai các hoạt động SXSH tại Bến Tre thời gian qua. {extra}"
        )
    }

    /// The signature as first written: every folded word collected, then each window of three hashed.
    fn collected_signature(text: &str) -> Option<Signature> {
        let words = kho_core::analysis::analyze(text, Form::Folded);
        if words.len() < MIN_WORDS {
            return None;
        }
        let mut signature = [u64::MAX; SIGNATURE_LEN];
        for shingle in words.windows(SHINGLE) {
            let mut hasher = DefaultHasher::new();
            shingle.hash(&mut hasher);
            let base = hasher.finish();
            for (k, slot) in signature.iter_mut().enumerate() {
                *slot = (*slot).min(mix(base ^ SEEDS[k]));
            }
        }
        Some(signature)
    }

    #[test]
    fn streamed_signature_is_the_collected_one() {
        let texts = [article(""), article("Ảnh: TP.HCM ngày 14/4/2011, 1.500.000 đồng."), "quá ngắn".to_owned()];
        for text in &texts {
            assert_eq!(signature(text), collected_signature(text), "{text}");
        }
        // Band keys stored in indexes built before must not move.
        let keys = indexed_band_keys(&signature(&texts[0]).unwrap());
        assert_eq!(keys.len(), INDEXED_BANDS);
    }

    #[test]
    fn finds_republished_articles() {
        let texts = [
            article(""),
            article("Nguồn: Sở Công Thương Bến Tre."), // republished with a credit line
            "Nhà máy đường Sông Mã ở Thanh Hóa giảm 38% lượng than nhờ áp dụng sản xuất sạch hơn trong hai vụ ép \
             mía liên tiếp, tiết kiệm khoảng 5,3 tỷ đồng mỗi năm theo báo cáo của công ty gửi Sở Công Thương tỉnh \
             Thanh Hóa và Văn phòng SXSH Bộ Công Thương tại hội nghị tổng kết ngành mía đường khu vực miền Trung"
                .to_owned(),
            article(""), // identical copy
            "quá ngắn".to_owned(),
            // the same opening, then a different story: not a duplicate
            article("Tuy nhiên, bài này tiếp tục bằng một nội dung hoàn toàn khác về đào tạo nghề cho thanh niên nông thôn, \
                     hỗ trợ vốn vay ưu đãi, xây dựng nông thôn mới, chuyển đổi cơ cấu cây trồng và vật nuôi, phát triển \
                     hợp tác xã kiểu mới, tiêu thụ nông sản qua sàn thương mại điện tử và nhiều chương trình khác nữa \
                     trong giai đoạn năm năm tới của tỉnh với nguồn ngân sách địa phương và trung ương."),
        ];
        let signatures: Vec<Option<Signature>> = texts.iter().map(|t| signature(t)).collect();
        assert!(signatures[4].is_none(), "short texts are not compared");
        let groups = cluster(&signatures);
        assert_eq!(groups, vec![0, 0, 2, 0, 4, 5]);
    }
}
