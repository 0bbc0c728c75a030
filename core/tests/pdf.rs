//! Documents saved as PDF files, read back as text the way a court's or a probation office's
//! PDF reader would: every paragraph is in it and in order, every page carries the marking, the
//! team and its number, and a long subject access summary runs on over many pages.
mod support;
use throughline_core::documents::pdf::{self, Block, Paper, Table, MARKING};
use throughline_core::governance::subject_access;
use throughline_core::notes;
use throughline_core::testing::TEAM_NAME;

/// The text of each page, with runs of white space made single spaces.
fn pages_of(bytes: &[u8]) -> Vec<String> {
    let pages = pdf_extract::extract_text_from_mem_by_pages(bytes).expect("the PDF reads back as text");
    pages.iter().map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

/// Asserts each of `expected` appears in `text`, each after the one before. White space is
/// left out of the comparison: the extractor cannot always tell a wrapped line's end from a space.
fn assert_in_order(text: &str, expected: &[String]) {
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let text = squeeze(text);
    let mut from = 0;
    for e in expected {
        let e = squeeze(e);
        match text[from..].find(&e) {
            Some(at) => from += at + e.len(),
            None => panic!("{e:?} is missing or out of order after {:?}", &text[from.saturating_sub(200)..from]),
        }
    }
}

/// The pages' text without their headers and footers, so a paragraph running on to the next
/// page reads as one.
fn body_of(pages: &[String]) -> String {
    let count = pages.len();
    let bodies = pages
        .iter()
        .enumerate()
        .map(|(n, p)| p.replacen(MARKING, "", 2).replacen(TEAM_NAME, "", 2).replacen(&format!("Page {} of {count}", n + 1), "", 1));
    bodies.collect::<Vec<_>>().join(" ")
}

fn assert_every_page_marked(pages: &[String]) {
    let count = pages.len();
    for (n, page) in pages.iter().enumerate() {
        assert_eq!(page.matches(MARKING).count(), 2, "page {} has the marking in its header and footer: {page}", n + 1);
        assert!(page.contains(TEAM_NAME), "page {} names the team", n + 1);
        assert!(page.contains(&format!("Page {} of {count}", n + 1)), "page {} is numbered: {page}", n + 1);
    }
}

#[test]
fn a_subject_access_summary_saved_as_pdf_holds_every_paragraph_in_order_on_marked_numbered_pages() {
    let mut team = support::team();
    let id = team.register();
    let actor = team.lead.actor();
    // Years of contacts: enough to run the summary to forty pages and more.
    for day in 0..700 {
        let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(day);
        notes::record_contact(
            team.lead.store_mut(),
            &actor,
            &id,
            &notes::NewContact {
                kind: "phone".into(),
                date: date.format("%d/%m/%Y").to_string(),
                time: "10:15".into(),
                summary: format!(
                    "Contact {day}: rang to confirm his appointment and asked about his script, which the prescriber will review."
                ),
            },
        )
        .unwrap();
    }
    let summary = subject_access::summary(team.lead.store_mut(), &actor, &id).unwrap();

    let bytes = pdf::render(&summary.paper(), TEAM_NAME);
    let pages = pages_of(&bytes);

    assert!(pages.len() >= 40, "the summary runs on over many pages, not {}", pages.len());
    assert_every_page_marked(&pages);
    let mut expected = vec![summary.title.clone(), summary.subject.clone()];
    expected.extend(summary.paragraphs.iter().cloned());
    expected.push(format!("Signed: {}", summary.signed_by));
    assert_in_order(&body_of(&pages), &expected);
}

#[test]
fn a_return_as_pdf_repeats_its_column_headings_on_every_page_it_runs_on_to() {
    let rows: Vec<Vec<String>> = (1..=120)
        .map(|i| vec![format!("Week {i}"), format!("{}", i * 3), format!("{}", i * 2), "Custody suite, Bridge Street".into()])
        .collect();
    let paper = Paper {
        title: "Weekly tracker".into(),
        blocks: vec![
            Block::Paragraph("The whole team, 1 Jan 2026 to 31 Dec 2026.".into()),
            Block::Table(Table {
                columns: vec!["Week".into(), "Tested".into(), "Positive".into(), "Where".into()],
                widths: vec![1.0, 1.0, 1.0, 3.0],
                rows: rows.clone(),
            }),
        ],
    };

    let pages = pages_of(&pdf::render(&paper, TEAM_NAME));

    assert!(pages.len() > 1, "120 rows take more than a page");
    assert_every_page_marked(&pages);
    for page in &pages {
        assert!(page.contains("Week Tested Positive Where"), "each page heads the table: {page}");
    }
    let cells: Vec<String> = rows.iter().map(|r| r.join(" ")).collect();
    assert_in_order(&body_of(&pages), &cells);
}

#[test]
fn a_word_longer_than_the_line_is_broken_rather_than_lost_off_the_page() {
    let long = "x".repeat(400);
    let paper = Paper { title: "Note".into(), blocks: vec![Block::Paragraph(format!("Reference {long} ends here."))] };

    let text = pages_of(&pdf::render(&paper, TEAM_NAME)).join(" ");

    assert_eq!(text.matches('x').count(), 400, "every character is on the page");
    assert!(text.contains("ends here."));
}
