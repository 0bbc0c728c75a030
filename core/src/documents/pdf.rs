//! Documents and returns as PDF files for secure email: A4, the protective marking in every
//! header and footer, the team's name and "Page N of M" on each page, and real text in an
//! embedded font (DejaVu Sans, subset by krilla) so it can be searched, copied and read aloud.
use super::Document;
use crate::dates;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::{Font, TextDirection};
use std::sync::OnceLock;

/// The Government Security Classification marking every document carries.
pub const MARKING: &str = "OFFICIAL-SENSITIVE";

/// What a PDF is made of, top to bottom; text wraps to the page and runs on to new pages.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    /// A table whose header row repeats on each page it runs on to.
    Table(Table),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    /// Each column's share of the width.
    pub widths: Vec<f32>,
    pub rows: Vec<Vec<String>>,
}

/// A document ready to lay out.
#[derive(Debug, Clone, PartialEq)]
pub struct Paper {
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Document {
    /// The document as paper: the heading, its paragraphs and sections, and the signature.
    pub fn paper(&self) -> Paper {
        let mut blocks = vec![Block::Heading(self.subject.clone())];
        for (i, p) in self.paragraphs.iter().enumerate() {
            let heading = self.headings.as_ref().is_some_and(|h| h.contains(&(i as u32)));
            blocks.push(if heading { Block::Heading(p.clone()) } else { Block::Paragraph(p.clone()) });
        }
        blocks.push(Block::Paragraph(format!("Signed: {}", self.signed_by)));
        blocks.push(Block::Paragraph(format!("Date: {}", dates::display(self.produced_on))));
        Paper { title: self.title.clone(), blocks }
    }
}

// A4 in points, with 20 mm margins; the header and footer sit in the top and bottom margins.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.7;
const BODY_TOP: f32 = MARGIN + 18.0;
const BODY_BOTTOM: f32 = PAGE_H - MARGIN - 8.0;
const TEXT: f32 = 11.0;
const SMALL: f32 = 8.5;
const CELL: f32 = 9.0;
const TITLE: f32 = 16.0;
const HEADING: f32 = 12.0;
const LEADING: f32 = 1.35;

struct Face {
    font: Font,
    /// The font's own tables, whose glyph advances lines wrap by.
    parser: ttf_parser::Face<'static>,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Face {
        Face {
            font: Font::new(bytes.into(), 0).expect("the embedded font loads"),
            parser: ttf_parser::Face::parse(bytes, 0).expect("the embedded font parses"),
        }
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        let units = f32::from(self.parser.units_per_em());
        let advance: f32 = text
            .chars()
            .map(|c| self.parser.glyph_index(c).and_then(|g| self.parser.glyph_hor_advance(g)).map_or(units / 2.0, f32::from))
            .sum();
        advance * size / units
    }
}

fn regular() -> &'static Face {
    static FACE: OnceLock<Face> = OnceLock::new();
    FACE.get_or_init(|| Face::load(include_bytes!("../../assets/fonts/DejaVuSans.ttf")))
}

fn bold() -> &'static Face {
    static FACE: OnceLock<Face> = OnceLock::new();
    FACE.get_or_init(|| Face::load(include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf")))
}

/// One line of text placed on a page (y is its baseline from the top).
struct Line {
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    text: String,
}

#[derive(Default)]
struct Page {
    lines: Vec<Line>,
    rules: Vec<(f32, f32, f32)>,
}

/// Splits `text` into lines no wider than `width`, at spaces; a word too long for a line on its
/// own is broken where it must be.
fn wrap(text: &str, face: &Face, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph_line in text.split('\n') {
        let mut line = String::new();
        for word in paragraph_line.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if face.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut rest = word.to_string();
            while face.width(&rest, size) > width {
                let cut = (1..rest.len())
                    .rev()
                    .filter(|&i| rest.is_char_boundary(i))
                    .find(|&i| face.width(&rest[..i], size) <= width)
                    .unwrap_or(1);
                lines.push(rest[..cut].to_string());
                rest = rest[cut..].to_string();
            }
            line = rest;
        }
        lines.push(line);
    }
    lines
}

/// Lays blocks down the pages, starting a new page whenever the next line would not fit.
struct Layout {
    pages: Vec<Page>,
    y: f32,
}

impl Layout {
    fn new() -> Layout {
        Layout { pages: vec![Page::default()], y: BODY_TOP }
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = BODY_TOP;
    }

    /// Room for `height` more on this page, or a new one.
    fn room(&mut self, height: f32) {
        if self.y + height > BODY_BOTTOM && self.y > BODY_TOP {
            self.new_page();
        }
    }

    fn text(&mut self, text: &str, size: f32, bold_face: bool, space_after: f32) {
        let face = if bold_face { bold() } else { regular() };
        let step = size * LEADING;
        for line in wrap(text, face, size, PAGE_W - 2.0 * MARGIN) {
            self.room(step);
            self.y += step;
            let y = self.y;
            self.page().lines.push(Line { x: MARGIN, y, size, bold: bold_face, text: line });
        }
        self.y += space_after;
    }

    fn table(&mut self, table: &Table) {
        let total: f32 = table.widths.iter().sum();
        let width = PAGE_W - 2.0 * MARGIN;
        let columns: Vec<(f32, f32)> = table
            .widths
            .iter()
            .scan(MARGIN, |x, w| {
                let cell = (*x, w / total * width);
                *x += cell.1;
                Some(cell)
            })
            .collect();
        self.row(&table.columns, &columns, true);
        for row in &table.rows {
            let cells = Cells::wrap(row, &columns, false);
            if self.y + cells.height > BODY_BOTTOM {
                // The header row repeats at the top of each page the table runs on to.
                self.new_page();
                self.row(&table.columns, &columns, true);
            }
            self.place(cells, &columns);
        }
        self.y += TEXT;
    }

    fn row(&mut self, cells: &[String], columns: &[(f32, f32)], bold_face: bool) {
        let cells = Cells::wrap(cells, columns, bold_face);
        self.room(cells.height);
        self.place(cells, columns);
    }

    fn place(&mut self, cells: Cells, columns: &[(f32, f32)]) {
        let top = self.y;
        for (lines, (x, _)) in cells.lines.into_iter().zip(columns) {
            for (i, text) in lines.into_iter().enumerate() {
                let y = top + (i + 1) as f32 * CELL * LEADING;
                self.page().lines.push(Line { x: *x, y, size: CELL, bold: cells.bold, text });
            }
        }
        self.y = top + cells.height;
        let y = self.y - 1.0;
        self.page().rules.push((MARGIN, PAGE_W - MARGIN, y));
    }
}

/// A table row's cells wrapped to their columns.
struct Cells {
    lines: Vec<Vec<String>>,
    height: f32,
    bold: bool,
}

impl Cells {
    fn wrap(cells: &[String], columns: &[(f32, f32)], bold_face: bool) -> Cells {
        let face = if bold_face { bold() } else { regular() };
        let lines: Vec<Vec<String>> = cells.iter().zip(columns).map(|(c, (_, w))| wrap(c, face, CELL, w - 4.0)).collect();
        let height = lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * CELL * LEADING + 4.0;
        Cells { lines, height, bold: bold_face }
    }
}

/// Renders `paper` for `team` as an A4 PDF.
pub fn render(paper: &Paper, team: &str) -> Vec<u8> {
    let mut layout = Layout::new();
    layout.text(&paper.title, TITLE, true, TEXT * 0.8);
    for block in &paper.blocks {
        match block {
            Block::Heading(h) => {
                layout.room(HEADING * LEADING * 3.0);
                layout.text(h, HEADING, true, TEXT * 0.4);
            }
            Block::Paragraph(p) => layout.text(p, TEXT, false, TEXT * 0.6),
            Block::Table(t) => layout.table(t),
        }
    }
    let count = layout.pages.len();
    let mut document = krilla::Document::new();
    document.set_metadata(
        Metadata::new().title(paper.title.clone()).creator("Throughline".into()).language("en-GB".into()).keywords(vec![MARKING.into()]),
    );
    for (n, page) in layout.pages.into_iter().enumerate() {
        let mut sheet = document.start_page_with(PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4"));
        let mut surface = sheet.surface();
        let mut draw = |x: f32, y: f32, size: f32, face: &Face, text: &str| {
            surface.draw_text(Point::from_xy(x, y), face.font.clone(), size, text, false, TextDirection::Auto);
        };
        let centred = |text: &str, face: &Face, size: f32| (PAGE_W - face.width(text, size)) / 2.0;
        draw(centred(MARKING, bold(), SMALL + 1.0), MARGIN - 22.0, SMALL + 1.0, bold(), MARKING);
        draw(MARGIN, MARGIN - 6.0, SMALL, regular(), team);
        for line in &page.lines {
            draw(line.x, line.y, line.size, if line.bold { bold() } else { regular() }, &line.text);
        }
        let footer = PAGE_H - MARGIN + 20.0;
        draw(MARGIN, footer, SMALL, regular(), team);
        let number = format!("Page {} of {count}", n + 1);
        draw(PAGE_W - MARGIN - regular().width(&number, SMALL), footer, SMALL, regular(), &number);
        draw(centred(MARKING, bold(), SMALL + 1.0), footer + 14.0, SMALL + 1.0, bold(), MARKING);
        surface.set_stroke(Some(Stroke { width: 0.5, ..Default::default() }));
        for (from, to, y) in page.rules.iter().copied().chain([(MARGIN, PAGE_W - MARGIN, MARGIN), (MARGIN, PAGE_W - MARGIN, footer - 12.0)])
        {
            let mut path = PathBuilder::new();
            path.move_to(from, y);
            path.line_to(to, y);
            if let Some(path) = path.finish() {
                surface.draw_path(&path);
            }
        }
        surface.finish();
        sheet.finish();
    }
    document.finish().expect("a document of text and lines always serialises")
}

/// A file name from a title and a day: "notice-of-requirement-to-attend-an-initial-assessment-ra1-2026-11-23.pdf".
/// No names: a file list or an email attachment says what it is, not who.
pub fn file_name(title: &str, day: chrono::NaiveDate) -> String {
    let words: Vec<String> = title.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    format!("{}-{day}.pdf", words.join("-"))
}
