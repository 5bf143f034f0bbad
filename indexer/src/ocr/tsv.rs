//! Tesseract's TSV output to text in reading order.
//!
//! `tesseract IMAGE stdout tsv` prints one row per layout element: level (1 page, 2 block, 3
//! paragraph, 4 line, 5 word), page, block, paragraph, line and word numbers, the box, the confidence
//! (0–100 for words, -1 otherwise) and the word's text. Rows come in Tesseract's reading order (its
//! layout analysis orders columns and blocks), so the text is rebuilt by walking the words: a new
//! line is a line break, a new paragraph or block a paragraph break, and each page's text kept apart.

/// The text of one page, as OCR read it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct PageText {
    /// From 1, as Tesseract numbers the pages of a multi-page image.
    pub number: u32,
    /// Lines separated by line breaks, paragraphs by blank lines.
    pub text: String,
}

/// What a TSV output says: the pages' text, and the sum and count of word confidences.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Recognized {
    pub pages: Vec<PageText>,
    pub confidence_sum: f64,
    pub words: u32,
}

/// Reads Tesseract's TSV; rows that do not parse are skipped.
pub(super) fn parse_tsv(tsv: &str) -> Recognized {
    let mut recognized = Recognized::default();
    // (page, block, paragraph, line) of the last word.
    let mut last: Option<(u32, u32, u32, u32)> = None;
    for row in tsv.lines() {
        let columns: Vec<&str> = row.split('\t').collect();
        if columns.len() < 12 || columns[0] != "5" {
            continue;
        }
        let number = |i: usize| columns[i].trim().parse::<u32>().ok();
        let (Some(page), Some(block), Some(paragraph), Some(line)) = (number(1), number(2), number(3), number(4))
        else {
            continue;
        };
        let word = columns[11..].join(" ");
        let word = word.trim();
        if word.is_empty() {
            continue;
        }
        if let Ok(confidence) = columns[10].trim().parse::<f64>() {
            if confidence >= 0.0 {
                recognized.confidence_sum += confidence;
                recognized.words += 1;
            }
        }
        if recognized.pages.last().map(|p| p.number) != Some(page) {
            recognized.pages.push(PageText { number: page, text: String::new() });
            last = None;
        }
        let Some(current) = recognized.pages.last_mut() else { continue };
        let separator = match last {
            None => "",
            Some((_, b, p, _)) if (b, p) != (block, paragraph) => "\n\n",
            Some((_, _, _, l)) if l != line => "\n",
            Some(_) => " ",
        };
        current.text.push_str(separator);
        current.text.push_str(word);
        last = Some((page, block, paragraph, line));
    }
    recognized
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext";

    fn word(page: u32, block: u32, par: u32, line: u32, n: u32, conf: f64, text: &str) -> String {
        format!("5\t{page}\t{block}\t{par}\t{line}\t{n}\t0\t0\t10\t10\t{conf}\t{text}")
    }

    #[test]
    fn words_lines_paragraphs_and_pages() {
        let rows = [
            HEADER.to_owned(),
            "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t".to_owned(),
            "2\t1\t1\t0\t0\t0\t0\t0\t100\t100\t-1\t".to_owned(),
            word(1, 1, 1, 1, 1, 96.0, "BÁO"),
            word(1, 1, 1, 1, 2, 94.0, "CÁO"),
            word(1, 1, 1, 2, 1, 90.0, "hội"),
            word(1, 1, 1, 2, 2, 80.0, "thảo"),
            word(1, 1, 2, 1, 1, 70.0, "Sở"),
            word(1, 2, 1, 1, 1, 50.0, "Ghi"),
            word(1, 2, 1, 1, 2, -1.0, " "),
            word(2, 1, 1, 1, 1, 20.0, "trang"),
            "5\tnot\ta\trow".to_owned(),
        ];
        let got = parse_tsv(&rows.join("\n"));
        let pages: Vec<(u32, &str)> = got.pages.iter().map(|p| (p.number, p.text.as_str())).collect();
        assert_eq!(pages, vec![(1, "BÁO CÁO\nhội thảo\n\nSở\n\nGhi"), (2, "trang")]);
        assert_eq!(got.words, 7);
        assert!((got.confidence_sum - 500.0).abs() < 1e-9, "{}", got.confidence_sum);
    }

    #[test]
    fn nothing_recognized() {
        assert_eq!(parse_tsv(""), Recognized::default());
        assert_eq!(parse_tsv(HEADER), Recognized::default());
    }
}
