//! Packing documents into submissions within LHDN's limits (LHDN.md §1.4): at most 100
//! documents and 5 MB a submission, 300 KB a document. Pure, so the limits are tested here.

/// LHDN's limits on one submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub documents: usize,
    /// The whole request body.
    pub submission_bytes: usize,
    /// One document, before base64.
    pub document_bytes: usize,
}

impl Default for Limits {
    /// LHDN's, with the megabyte and kilobyte read as the smaller decimal units to be safe.
    fn default() -> Self {
        Self {
            documents: 100,
            submission_bytes: 5_000_000,
            document_bytes: 300_000,
        }
    }
}

/// What a document adds to the request body: its base64 form, its hex hash, its number and
/// the JSON around them.
pub fn envelope_bytes(document_bytes: usize, code_number: &str) -> usize {
    const FIELDS: usize = 96;
    document_bytes.div_ceil(3) * 4 + 64 + code_number.len() + FIELDS
}

/// Splits `items` in order into submissions within `limits`; the second list holds what no
/// submission can carry (a document over the per-document limit).
pub fn pack<T>(
    items: Vec<T>,
    document_bytes: impl Fn(&T) -> usize,
    envelope: impl Fn(&T) -> usize,
    limits: &Limits,
) -> (Vec<Vec<T>>, Vec<T>) {
    const WRAPPER: usize = 32;
    let mut batches: Vec<Vec<T>> = Vec::new();
    let mut too_large = Vec::new();
    let mut current: Vec<T> = Vec::new();
    let mut current_bytes = WRAPPER;
    for item in items {
        let size = envelope(&item);
        if document_bytes(&item) > limits.document_bytes || WRAPPER + size > limits.submission_bytes
        {
            too_large.push(item);
            continue;
        }
        if current.len() == limits.documents || current_bytes + size > limits.submission_bytes {
            batches.push(std::mem::take(&mut current));
            current_bytes = WRAPPER;
        }
        current_bytes += size;
        current.push(item);
    }
    if !current.is_empty() {
        batches.push(current);
    }
    (batches, too_large)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packed(sizes: &[usize], limits: &Limits) -> (Vec<Vec<usize>>, Vec<usize>) {
        pack(
            sizes.to_vec(),
            |size| *size,
            |size| envelope_bytes(*size, "INV-2026-000001"),
            limits,
        )
    }

    #[test]
    fn at_most_100_documents_go_in_one_submission() {
        let (batches, too_large) = packed(&[1_000; 250], &Limits::default());
        let lengths: Vec<usize> = batches.iter().map(Vec::len).collect();
        assert_eq!(lengths, [100, 100, 50]);
        assert!(too_large.is_empty());
    }

    #[test]
    fn a_submission_stays_under_5_mb_of_base64() {
        // 290 KB documents grow to ~387 KB in base64: 12 fit in 5 MB, not 13.
        let (batches, _) = packed(&[290_000; 30], &Limits::default());
        assert!(batches.iter().all(|b| b.len() == 12 || b.len() == 6));
        for batch in &batches {
            let body: usize = batch
                .iter()
                .map(|size| envelope_bytes(*size, "INV-2026-000001"))
                .sum();
            assert!(body < 5_000_000);
        }
    }

    #[test]
    fn a_document_over_300_kb_goes_in_no_submission() {
        let (batches, too_large) = packed(&[10, 300_001, 20], &Limits::default());
        assert_eq!(batches, [vec![10, 20]]);
        assert_eq!(too_large, [300_001]);
    }

    #[test]
    fn order_is_kept() {
        let limits = Limits {
            documents: 2,
            ..Limits::default()
        };
        let (batches, _) = packed(&[1, 2, 3, 4, 5], &limits);
        assert_eq!(batches, [vec![1, 2], vec![3, 4], vec![5]]);
    }
}
