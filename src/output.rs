//! Writing artifacts so that a reader of the output folder only ever sees a
//! complete old file or a complete new one: write to a temporary file in the same
//! folder, flush it to disk, then rename over the target.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `dir/name` atomically. On any error the previous file (if
/// any) is untouched and no temporary file is left behind.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let target = dir.join(name);
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    // Readers of a shared folder get the usual file permissions, not 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = temp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(target)
}

/// The build timestamp: `SOURCE_DATE_EPOCH` when set (reproducible builds),
/// otherwise the newest modification time among `inputs`, so an unchanged
/// manuscript still gives identical bytes.
pub fn build_date(env_value: Option<&str>, inputs: &[PathBuf]) -> Result<i64, String> {
    if let Some(value) = env_value {
        return value
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|v| (0..=253_402_300_799).contains(v))
            .ok_or_else(|| {
                format!("SOURCE_DATE_EPOCH=`{value}` is not a number of seconds since 1970")
            });
    }
    let newest = inputs
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok()?.modified().ok())
        .filter_map(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .max();
    Ok(newest.unwrap_or(0))
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a Unix timestamp (UTC), without a date library.
pub fn iso8601(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn source_date_epoch_wins_and_is_checked() {
        assert_eq!(build_date(Some("1234"), &[]), Ok(1234));
        assert!(build_date(Some("soon"), &[]).is_err());
        assert_eq!(build_date(None, &[]), Ok(0));
    }

    #[test]
    fn atomic_write_replaces_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        write_atomic(dir.path(), "a.epub", b"old").unwrap();
        write_atomic(dir.path(), "a.epub", b"new").unwrap();
        assert_eq!(std::fs::read(dir.path().join("a.epub")).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.epub"]);
    }
}
