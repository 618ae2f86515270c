//! What work done off the UI thread finished with, held until the work's progress has been on
//! screen once: a job quicker than a frame still shows that something happened (its modal)
//! before its result is said. The backup, the exports and the restore over a damaged file
//! hold their results this way.

/// A job's result, held until its progress has been shown.
#[derive(Debug)]
pub struct HeldUntilShown<T> {
    finished: Option<T>,
    is_shown: bool,
}

impl<T> HeldUntilShown<T> {
    /// Nothing finished yet; `is_shown` for a job that shows no progress (its result is taken
    /// in as soon as it comes).
    pub fn new(is_shown: bool) -> Self {
        Self {
            finished: None,
            is_shown,
        }
    }

    /// The window has put the progress on screen; whether this is the first time.
    pub fn mark_shown(&mut self) -> bool {
        !std::mem::replace(&mut self.is_shown, true)
    }

    /// Whether the job's result has come (shown or not).
    pub fn is_finished(&self) -> bool {
        self.finished.is_some()
    }

    /// Keeps the job's result until it may be taken.
    pub fn finish(&mut self, result: T) {
        self.finished = Some(result);
    }

    /// The result, once it has come and the progress has been shown.
    pub fn take(&mut self) -> Option<T> {
        if self.is_shown {
            self.finished.take()
        } else {
            None
        }
    }

    /// The result whether or not the progress was shown (the window is closing).
    pub fn take_unshown(&mut self) -> Option<T> {
        self.finished.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_is_held_until_its_progress_has_been_shown_once() {
        let mut held = HeldUntilShown::new(false);
        assert_eq!(held.take(), None);
        held.finish(7);
        assert!(held.is_finished());
        assert_eq!(held.take(), None, "not shown yet");
        assert!(held.mark_shown());
        assert!(!held.mark_shown(), "the first time only");
        assert_eq!(held.take(), Some(7));
        assert_eq!(held.take(), None);

        let mut unshown = HeldUntilShown::new(true);
        unshown.finish("done");
        assert_eq!(
            unshown.take(),
            Some("done"),
            "a job with no progress to show"
        );
    }
}
