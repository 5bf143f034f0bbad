//! Figure and table captions ("Hình 1. Bà Trần Thị Liên phát biểu…", "Ảnh: Ban tổ chức", "Bảng 2. Kết
//! quả tiết kiệm") describe what the photos of an article show: who spoke, which factory was visited.
//! They are kept as a field of their own so that a search for a person or a place can say it is in a
//! caption, and the document page can list them. A caption is a short paragraph that starts with a
//! figure word, a number or a colon: a paragraph starting "Hình thức tổ chức…" is not one.

/// Words that start a caption.
const CAPTION_WORDS: &[&str] = &["hình", "ảnh", "biểu đồ", "sơ đồ", "bảng", "hình ảnh"];
/// Captions are one or two sentences; a longer paragraph is body text.
const MAX_CAPTION_CHARS: usize = 300;

/// The captions among the paragraphs (or lines) of an NFC text, in order, without repeats.
pub fn find_captions(body: &str) -> Vec<String> {
    let mut captions: Vec<String> = Vec::new();
    for paragraph in body.split("\n\n").flat_map(|p| p.lines()) {
        let paragraph = paragraph.trim();
        if is_caption(paragraph) && !captions.iter().any(|c| c == paragraph) {
            captions.push(paragraph.to_owned());
        }
    }
    captions
}

fn is_caption(paragraph: &str) -> bool {
    if paragraph.chars().count() > MAX_CAPTION_CHARS {
        return false;
    }
    let lower = paragraph.to_lowercase();
    CAPTION_WORDS.iter().any(|word| {
        let Some(rest) = lower.strip_prefix(word) else { return false };
        let rest = rest.trim_start();
        if let Some(after_colon) = rest.strip_prefix(':') {
            return !after_colon.trim().is_empty();
        }
        // "Hình 1.", "Hình 1:", "Hình 1 -", "Bảng 2.3."
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number = rest[..number_len].trim_end_matches('.');
        if number.is_empty() || !number.starts_with(|c: char| c.is_ascii_digit()) {
            return false;
        }
        let after = rest[number_len..].trim_start();
        let after = after.trim_start_matches([':', '-', '–', '—']).trim();
        !after.is_empty()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_captions() {
        let body = "Ngày 14/4/2011, tại Bến Tre.\n\nHình 1. Bà Trần Thị Liên phát biểu chia sẻ kinh nghiệm\n\n\
                    Hình thức tổ chức hội thảo là trực tuyến.\n\nẢnh: Ban tổ chức\n\nBảng 2.1: Kết quả tiết kiệm\n\n\
                    Hình 2. Tham quan nhà máy mía đường Bến Tre\nHình 1. Bà Trần Thị Liên phát biểu chia sẻ kinh nghiệm";
        assert_eq!(
            find_captions(body),
            vec![
                "Hình 1. Bà Trần Thị Liên phát biểu chia sẻ kinh nghiệm",
                "Ảnh: Ban tổ chức",
                "Bảng 2.1: Kết quả tiết kiệm",
                "Hình 2. Tham quan nhà máy mía đường Bến Tre",
            ]
        );
    }

    #[test]
    fn body_text_is_not_a_caption() {
        for paragraph in [
            "Hình thức tổ chức hội thảo là trực tuyến.",
            "Hình 1.",
            "Ảnh:",
            "Bảng giá điện mới được áp dụng từ tháng 4.",
            "Nhà máy đường Bến Tre",
        ] {
            assert!(!is_caption(paragraph), "{paragraph:?}");
        }
        let long = format!("Hình 1. {}", "rất dài ".repeat(60));
        assert!(!is_caption(&long));
    }
}
