//! The *telex* query variant: the question as typed in Telex with the Vietnamese input method off.
//!
//! Each word is converted on its own, after NFC: a letter's modifier becomes the Telex keys typed for it
//! (â → aa, ê → ee, ô → oo, ă → aw, ơ → ow, ư → uw, đ → dd) and the word's tone becomes a key appended
//! at the end of the word (sắc → s, huyền → f, hỏi → r, ngã → x, nặng → j): "hội thảo" → "hooij thaor",
//! "đường" → "dduwowngf". A key takes the case of the letter it comes from ("Đ" → "DD", "Ầ" → "AA" and a
//! final "F"). Words without diacritics, and everything between words (spaces, punctuation), stay as
//! they are. This is written independently of kho-core's Telex reading, so the evaluation does not
//! check Kho's conversion against itself.

use kho_core::analysis::normalize_text;

/// Each base letter followed by its five toned forms, in the order of [`TONE_KEYS`]; capitals are found
/// by lowercasing.
const TONED: [(char, &str); 12] = [
    ('a', "áàảãạ"),
    ('ă', "ắằẳẵặ"),
    ('â', "ấầẩẫậ"),
    ('e', "éèẻẽẹ"),
    ('ê', "ếềểễệ"),
    ('i', "íìỉĩị"),
    ('o', "óòỏõọ"),
    ('ô', "ốồổỗộ"),
    ('ơ', "ớờởỡợ"),
    ('u', "úùủũụ"),
    ('ư', "ứừửữự"),
    ('y', "ýỳỷỹỵ"),
];

/// The Telex keys of sắc, huyền, hỏi, ngã and nặng.
const TONE_KEYS: [char; 5] = ['s', 'f', 'r', 'x', 'j'];

/// The text as typed in Telex with the input method off.
pub fn to_telex(text: &str) -> String {
    let text = normalize_text(text);
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut tones: Vec<char> = Vec::new();
    for c in text.chars() {
        if !c.is_alphanumeric() {
            out.extend(tones.drain(..));
            out.push(c);
            continue;
        }
        let upper = c.is_uppercase();
        let lower = c.to_lowercase().next().unwrap_or(c);
        let (base, tone) = split_tone(lower);
        if let Some(index) = tone {
            tones.push(with_case(TONE_KEYS[index], upper));
        }
        let keys = match base {
            'â' => "aa",
            'ê' => "ee",
            'ô' => "oo",
            'ă' => "aw",
            'ơ' => "ow",
            'ư' => "uw",
            'đ' => "dd",
            _ => {
                out.push(if tone.is_some() { with_case(base, upper) } else { c });
                continue;
            }
        };
        out.extend(keys.chars().map(|key| with_case(key, upper)));
    }
    out.extend(tones);
    out
}

/// A lowercase letter's base letter and its tone's index in [`TONE_KEYS`], if it has one.
fn split_tone(letter: char) -> (char, Option<usize>) {
    for (base, forms) in TONED {
        if let Some(index) = forms.chars().position(|form| form == letter) {
            return (base, Some(index));
        }
    }
    (letter, None)
}

fn with_case(c: char, upper: bool) -> char {
    if upper {
        c.to_uppercase().next().unwrap_or(c)
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_words_to_telex_keys() {
        let cases = [
            ("hội thảo", "hooij thaor"),
            ("Việt Nam", "Vieetj Nam"),
            ("sản xuất sạch hơn", "sanr xuaats sachj hown"),
            ("đường", "dduwowngf"),
            ("Đà Nẵng", "DDaf Nawngx"),
            ("ĐẦU TƯ", "DDAAUF TUW"),
            ("Ấn", "AAnS"),
            ("ăn uống", "awn uoongs"),
            ("quý khách", "quys khachs"),
            ("thủy điện", "thuyr ddieenj"),
            ("Sản xuất ở Đồng Tháp?", "Sanr xuaats owr DDoongf Thaps?"),
            ("(môi trường), năm 2019.", "(mooi truwowngf), nawm 2019."),
            // Not NFC: the combining marks are composed first.
            ("Vie\u{0323}\u{0302}t Nam", "Vieetj Nam"),
            ("plain ascii, kept", "plain ascii, kept"),
            ("café", "cafes"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(to_telex(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn every_toned_letter_is_a_base_and_a_key() {
        for (base, forms) in TONED {
            assert_eq!(forms.chars().count(), TONE_KEYS.len());
            for (index, form) in forms.chars().enumerate() {
                assert_eq!(split_tone(form), (base, Some(index)));
            }
        }
    }
}
