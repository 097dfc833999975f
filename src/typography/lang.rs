//! Words a generated page needs in the book's language ("Chapter",
//! "Contents"), in the terms each language's publishers use: `Impressum`,
//! not a translation of "copyright"; `奥付`, `판권`, `Künye`. Numbers go where
//! the language puts them (`第3章`, `3. Bölüm`, `42쪽`). Unknown languages
//! fall back to English words rather than inventing any.

/// Labels used on generated pages and in navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels {
    /// A chapter's number label, `{}` standing for the number
    /// ("Chapter {}", "第{}章"); see [`Labels::chapter_number`].
    pub chapter: &'static str,
    /// Title of the table of contents.
    pub contents: &'static str,
    /// Title of the landmarks navigation.
    pub guide: &'static str,
    /// Title given to the generated copyright page.
    pub copyright: &'static str,
    /// Title given to the generated title page.
    pub title_page: &'static str,
    /// Accessible name of the cover image ("Cover").
    pub cover: &'static str,
    /// "Start of content" landmark.
    pub start: &'static str,
    /// Label of a footnote's back link.
    pub back_to_text: &'static str,
    /// A page cross-reference, `{}` standing for the page ("page {}",
    /// "S. {}", "{}ページ"); see [`Labels::page_number`].
    pub page: &'static str,
    /// Cue at the head of a page where a code listing goes on.
    pub continued: &'static str,
}

impl Labels {
    /// "Chapter 3" in the book's language.
    pub fn chapter_number(&self, number: &str) -> String {
        fill(self.chapter, number)
    }

    /// "page 42" in the book's language; the space before or after the
    /// number never breaks.
    pub fn page_number(&self, number: &str) -> String {
        fill(&self.page.replace(' ', "\u{a0}"), number)
    }
}

fn fill(template: &str, number: &str) -> String {
    if template.contains("{}") {
        template.replacen("{}", number, 1)
    } else {
        format!("{template} {number}")
    }
}

/// Labels for a BCP 47 tag: by primary language, and by script or region
/// where those write the words differently (Traditional Chinese, European
/// Portuguese).
pub fn labels(language: &str) -> Labels {
    let tag = language.trim().replace('_', "-").to_ascii_lowercase();
    let mut subtags = tag.split('-');
    let primary = subtags.next().unwrap_or("");
    let rest: Vec<&str> = subtags.collect();
    let has = |s: &str| rest.contains(&s);
    match primary {
        "fr" => Labels {
            chapter: "Chapitre {}",
            contents: "Table des matières",
            guide: "Repères",
            copyright: "Droits d’auteur",
            title_page: "Page de titre",
            cover: "Couverture",
            start: "Début du texte",
            back_to_text: "Retour au texte",
            page: "page {}",
            continued: "suite",
        },
        "de" | "gsw" => Labels {
            chapter: "Kapitel {}",
            contents: "Inhalt",
            guide: "Orientierung",
            copyright: "Impressum",
            title_page: "Titelseite",
            cover: "Umschlag",
            start: "Textbeginn",
            back_to_text: "Zurück zum Text",
            page: "S. {}",
            continued: "Fortsetzung",
        },
        "es" => Labels {
            chapter: "Capítulo {}",
            contents: "Índice",
            guide: "Puntos de referencia",
            copyright: "Créditos",
            title_page: "Portada",
            cover: "Cubierta",
            start: "Inicio del texto",
            back_to_text: "Volver al texto",
            page: "pág. {}",
            continued: "continuación",
        },
        "pt" if has("pt") => Labels {
            chapter: "Capítulo {}",
            contents: "Índice",
            guide: "Pontos de referência",
            copyright: "Ficha técnica",
            title_page: "Folha de rosto",
            cover: "Capa",
            start: "Início do texto",
            back_to_text: "Voltar ao texto",
            page: "p. {}",
            continued: "continuação",
        },
        "pt" => Labels {
            chapter: "Capítulo {}",
            contents: "Sumário",
            guide: "Pontos de referência",
            copyright: "Direitos autorais",
            title_page: "Folha de rosto",
            cover: "Capa",
            start: "Início do texto",
            back_to_text: "Voltar ao texto",
            page: "p. {}",
            continued: "continuação",
        },
        "it" => Labels {
            chapter: "Capitolo {}",
            contents: "Indice",
            guide: "Punti di riferimento",
            copyright: "Copyright",
            title_page: "Frontespizio",
            cover: "Copertina",
            start: "Inizio del testo",
            back_to_text: "Torna al testo",
            page: "p. {}",
            continued: "continua",
        },
        "nl" => Labels {
            chapter: "Hoofdstuk {}",
            contents: "Inhoud",
            guide: "Oriëntatiepunten",
            copyright: "Colofon",
            title_page: "Titelpagina",
            cover: "Omslag",
            start: "Begin van de tekst",
            back_to_text: "Terug naar de tekst",
            page: "blz. {}",
            continued: "vervolg",
        },
        "pl" => Labels {
            chapter: "Rozdział {}",
            contents: "Spis treści",
            guide: "Punkty orientacyjne",
            copyright: "Strona redakcyjna",
            title_page: "Strona tytułowa",
            cover: "Okładka",
            start: "Początek tekstu",
            back_to_text: "Powrót do tekstu",
            page: "s. {}",
            continued: "ciąg dalszy",
        },
        "ru" => Labels {
            chapter: "Глава {}",
            contents: "Содержание",
            guide: "Ориентиры",
            copyright: "Выходные данные",
            title_page: "Титульный лист",
            cover: "Обложка",
            start: "Начало текста",
            back_to_text: "Вернуться к тексту",
            page: "с. {}",
            continued: "продолжение",
        },
        "uk" => Labels {
            chapter: "Розділ {}",
            contents: "Зміст",
            guide: "Орієнтири",
            copyright: "Вихідні дані",
            title_page: "Титульний аркуш",
            cover: "Обкладинка",
            start: "Початок тексту",
            back_to_text: "Повернутися до тексту",
            page: "с. {}",
            continued: "продовження",
        },
        "el" => Labels {
            chapter: "Κεφάλαιο {}",
            contents: "Περιεχόμενα",
            guide: "Ορόσημα",
            copyright: "Πνευματικά δικαιώματα",
            title_page: "Σελίδα τίτλου",
            cover: "Εξώφυλλο",
            start: "Αρχή του κειμένου",
            back_to_text: "Επιστροφή στο κείμενο",
            page: "σ. {}",
            continued: "συνέχεια",
        },
        "tr" => Labels {
            chapter: "{}. Bölüm",
            contents: "İçindekiler",
            guide: "Kılavuz",
            copyright: "Künye",
            title_page: "İç kapak",
            cover: "Kapak",
            start: "Metnin başı",
            back_to_text: "Metne dön",
            page: "s. {}",
            continued: "devamı",
        },
        "ja" => Labels {
            chapter: "第{}章",
            contents: "目次",
            guide: "ガイド",
            copyright: "奥付",
            title_page: "扉",
            cover: "表紙",
            start: "本文",
            back_to_text: "本文に戻る",
            page: "{}ページ",
            continued: "続き",
        },
        "zh" | "yue" if traditional_chinese(&rest) => Labels {
            chapter: "第{}章",
            contents: "目錄",
            guide: "導覽",
            copyright: "版權頁",
            title_page: "扉頁",
            cover: "封面",
            start: "正文",
            back_to_text: "返回正文",
            page: "第{}頁",
            continued: "續",
        },
        "zh" => Labels {
            chapter: "第{}章",
            contents: "目录",
            guide: "导览",
            copyright: "版权页",
            title_page: "扉页",
            cover: "封面",
            start: "正文",
            back_to_text: "返回正文",
            page: "第{}页",
            continued: "续",
        },
        "ko" => Labels {
            chapter: "제{}장",
            contents: "차례",
            guide: "안내",
            copyright: "판권",
            title_page: "속표지",
            cover: "표지",
            start: "본문",
            back_to_text: "본문으로 돌아가기",
            page: "{}쪽",
            continued: "계속",
        },
        "ar" => Labels {
            chapter: "الفصل {}",
            contents: "المحتويات",
            guide: "معالم الكتاب",
            copyright: "حقوق النشر",
            title_page: "صفحة العنوان",
            cover: "الغلاف",
            start: "بداية النص",
            back_to_text: "العودة إلى النص",
            page: "ص {}",
            continued: "تابع",
        },
        "he" | "iw" => Labels {
            chapter: "פרק {}",
            contents: "תוכן העניינים",
            guide: "ניווט",
            copyright: "זכויות יוצרים",
            title_page: "שער",
            cover: "כריכה",
            start: "תחילת הטקסט",
            back_to_text: "חזרה לטקסט",
            page: "עמ׳ {}",
            continued: "המשך",
        },
        "hi" => Labels {
            chapter: "अध्याय {}",
            contents: "विषय-सूची",
            guide: "मार्गदर्शिका",
            copyright: "सर्वाधिकार",
            title_page: "शीर्षक पृष्ठ",
            cover: "आवरण",
            start: "पाठ का आरंभ",
            back_to_text: "पाठ पर लौटें",
            page: "पृष्ठ {}",
            continued: "जारी",
        },
        _ => Labels {
            chapter: "Chapter {}",
            contents: "Contents",
            guide: "Guide",
            copyright: "Copyright",
            title_page: "Title Page",
            cover: "Cover",
            start: "Start",
            back_to_text: "Back to text",
            page: "page {}",
            continued: "continued",
        },
    }
}

/// Whether a language is written right to left by default (`ar`, `he`,
/// `fa`, `ur`…, or any tag with a right-to-left script subtag such as
/// `ku-Arab`); a script subtag wins over the language (`az-Latn` is left to
/// right).
pub fn is_rtl(tag: &str) -> bool {
    let lower = tag.trim().replace('_', "-").to_ascii_lowercase();
    let mut parts = lower.split('-');
    let primary = parts.next().unwrap_or("");
    let script = parts.find(|p| p.len() == 4 && p.chars().all(|c| c.is_ascii_alphabetic()));
    if let Some(script) = script {
        return matches!(
            script,
            "arab" | "hebr" | "syrc" | "thaa" | "nkoo" | "adlm" | "rohg" | "samr" | "mand"
        );
    }
    matches!(
        primary,
        "ar" | "he"
            | "iw"
            | "fa"
            | "ur"
            | "yi"
            | "ps"
            | "sd"
            | "ug"
            | "dv"
            | "ckb"
            | "syr"
            | "arc"
            | "nqo"
            | "prs"
            | "pnb"
            | "bal"
            | "glk"
            | "mzn"
            | "lrc"
            | "azb"
    )
}

/// Whether a Chinese tag's script or region calls for traditional
/// characters (`zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO`).
fn traditional_chinese(subtags: &[&str]) -> bool {
    if subtags.contains(&"hans") {
        return false;
    }
    subtags
        .iter()
        .any(|s| matches!(*s, "hant" | "tw" | "hk" | "mo"))
}

/// The base direction of text in a BCP 47 language, as HTML and EPUB write
/// it: `rtl` for the languages (or scripts) written right to left, `ltr`
/// otherwise; see [`is_rtl`].
pub fn direction(language: &str) -> &'static str {
    if is_rtl(language) { "rtl" } else { "ltr" }
}

#[cfg(test)]
mod tests {
    use super::{direction, labels};

    #[test]
    fn by_primary_language() {
        assert_eq!(labels("en-GB").chapter_number("3"), "Chapter 3");
        assert_eq!(labels("de-CH").chapter_number("3"), "Kapitel 3");
        assert_eq!(labels("x-klingon").chapter_number("3"), "Chapter 3");
        assert_eq!(labels("tr").chapter_number("3"), "3. Bölüm");
        assert_eq!(labels("ja").chapter_number("3"), "第3章");
        assert_eq!(labels("ko").page_number("42"), "42쪽");
        assert_eq!(labels("de").page_number("42"), "S.\u{a0}42");
        assert_eq!(labels("en").page_number("42"), "page\u{a0}42");
    }

    #[test]
    fn directions_of_languages() {
        use super::is_rtl;
        for rtl in [
            "ar",
            "ar-EG",
            "he",
            "fa-IR",
            "ur",
            "ku-Arab",
            "yi",
            "pa-Arab-PK",
        ] {
            assert!(is_rtl(rtl), "{rtl}");
        }
        for ltr in ["en", "de", "ja", "az-Latn", "ku", "", "zh-Hant", "ar-Latn"] {
            assert!(!is_rtl(ltr), "{ltr}");
        }
    }

    #[test]
    fn scripts_and_regions_choose_spellings() {
        assert_eq!(labels("zh").contents, "目录");
        assert_eq!(labels("zh-Hans-HK").contents, "目录");
        assert_eq!(labels("zh-TW").contents, "目錄");
        assert_eq!(labels("zh-Hant").contents, "目錄");
        assert_eq!(labels("pt-BR").contents, "Sumário");
        assert_eq!(labels("pt-PT").contents, "Índice");
        assert_eq!(labels("pt").contents, "Sumário");
    }

    #[test]
    fn every_listed_language_has_its_own_words() {
        let english = labels("en");
        for tag in [
            "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "el", "tr", "ja", "zh", "ko",
            "ar", "he", "hi",
        ] {
            let l = labels(tag);
            assert_ne!(l.contents, english.contents, "{tag}");
            assert_ne!(l.chapter, english.chapter, "{tag}");
            assert!(l.chapter.contains("{}") && l.page.contains("{}"), "{tag}");
        }
    }

    #[test]
    fn direction_by_language_then_script() {
        assert_eq!(direction("en-GB"), "ltr");
        assert_eq!(direction("ar"), "rtl");
        assert_eq!(direction("he-IL"), "rtl");
        assert_eq!(direction("az-Arab"), "rtl");
        assert_eq!(direction("ku-Latn"), "ltr");
        assert_eq!(direction("pa-Arab-PK"), "rtl");
    }
}
