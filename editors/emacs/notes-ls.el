;;; notes-ls.el --- Interview notes mode with the notes-ls language server -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages, outlines
;; SPDX-License-Identifier: MIT

;;; Commentary:

;; A minimal major mode for interview/study notes (*.notes): a line starting
;; with `*' (no space after it) is a question, `->' starts its answer.
;;
;; With Eglot (built into Emacs 29+, `elpa-eglot' or GNU ELPA for older
;; Emacsen), `M-x eglot' in a notes buffer starts the notes-ls language server,
;; which reports unanswered questions and provides hover, completion, outline
;; (imenu) and code actions.  To start it automatically:
;;
;;   (add-to-list 'load-path "/path/to/notes-ls/editors/emacs")
;;   (require 'notes-ls)
;;   (add-hook 'notes-mode-hook #'eglot-ensure)
;;
;; The binary is `notes-ls-executable' (default "notes-ls" on `exec-path';
;; install it from the notes-ls repository with `cargo install --path .').
;; `notes-ls-settings' is sent as initializationOptions {"notesLs": ...}.

;;; Code:

(defgroup notes-ls nil
  "Interview notes and the notes-ls language server."
  :group 'text
  :prefix "notes-ls-")

(defcustom notes-ls-executable "notes-ls"
  "The notes-ls binary: a name looked up on `exec-path' or an absolute path."
  :type 'string)

(defcustom notes-ls-settings nil
  "Settings for the server, as a plist, e.g.
\\='(:diagnostics (:unanswered-question \"warning\")).
Sent as initializationOptions {\"notesLs\": ...}.  For changes while the
server runs, set `eglot-workspace-configuration' to (:notesLs ...)."
  :type '(plist))

(defface notes-ls-question-marker-face
  '((t :inherit font-lock-keyword-face :weight bold))
  "Face for the `*' that starts a question.")

(defface notes-ls-question-face
  '((t :inherit font-lock-function-name-face :weight bold))
  "Face for question text.")

(defface notes-ls-arrow-face
  '((t :inherit font-lock-keyword-face))
  "Face for the `->' that starts an answer.")

(defface notes-ls-term-face
  '((t :inherit font-lock-type-face))
  "Face for the term of a `Term: definition' line.")

(defface notes-ls-table-face
  '((t :inherit font-lock-constant-face))
  "Face for table separators.")

(defconst notes-ls--question-re "^\\(\\*\\)\\([^*[:space:]\n].*\\)?$"
  "A question line: `*' at column 0, not followed by a space or another `*'.")

(defvar notes-mode-font-lock-keywords
  `((,notes-ls--question-re
     (1 'notes-ls-question-marker-face)
     (2 'notes-ls-question-face nil t))
    ;; `->' at the start of a line, or at the end of a question line.
    ("^[ \t]*\\(->\\)" (1 'notes-ls-arrow-face t))
    ("^\\*[^*\n].*?\\(->\\)[ \t]*$" (1 'notes-ls-arrow-face t))
    ;; Term: definition (optionally after a bullet).
    ("^[ \t]*\\(?:[-+*\u2022][ \t]+\\)?\\([[:alpha:]][[:alnum:]_.+#/()' -]\\{0,47\\}?\\):[ \t]*[^ \t\n/]"
     (1 'notes-ls-term-face))
    ;; Bullets.
    ("^[ \t]*\\([-+\u2022]\\|\\*\\)[ \t]+" (1 'font-lock-builtin-face))
    ;; Tables.
    ("^[ \t]*|.*$" (0 'notes-ls-table-face))
    ;; **bold**
    ("\\*\\*[^*\n]+\\*\\*" (0 'bold prepend)))
  "Highlighting for `notes-mode'.")

(defvar notes-mode-syntax-table
  (let ((st (make-syntax-table text-mode-syntax-table)))
    ;; Keep N+1, django-oauth-toolkit and C# together as symbols.
    (modify-syntax-entry ?- "_" st)
    (modify-syntax-entry ?+ "_" st)
    (modify-syntax-entry ?# "_" st)
    (modify-syntax-entry ?_ "_" st)
    st)
  "Syntax table for `notes-mode'.")

;;;###autoload
(define-derived-mode notes-mode text-mode "Notes"
  "Major mode for interview/study notes (questions `*Q?' and answers `-> A')."
  :syntax-table notes-mode-syntax-table
  (setq-local font-lock-defaults '(notes-mode-font-lock-keywords t))
  ;; Questions are outline headings: `outline-minor-mode' folds answers.
  (setq-local outline-regexp "\\*[^*[:space:]\n]")
  (setq-local outline-level (lambda () 1))
  (setq-local imenu-generic-expression `((nil ,notes-ls--question-re 2)))
  (setq-local comment-start "")
  (setq-local paragraph-start (concat "\\*[^*[:space:]]\\|[ \t]*->\\|" paragraph-start)))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.notes\\'" . notes-mode))

(defun notes-ls-eglot-contact (&optional _interactive)
  "Eglot contact for notes-ls: the program plus initializationOptions."
  (list notes-ls-executable
        :initializationOptions
        (list :notesLs (or notes-ls-settings (make-hash-table)))))

(defvar eglot-server-programs)
;;;###autoload
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs '(notes-mode . notes-ls-eglot-contact)))

(provide 'notes-ls)
;;; notes-ls.el ends here
