;;; smoke.el --- batch test: notes-mode + Eglot against a notes-ls binary -*- lexical-binding: t; -*-
;; Run through editors/emacs/test/run.sh.  Env: NOTES_LS_BIN, NOTES_LS_FIXTURE.
(require 'cl-lib)
(require 'subr-x)

(defvar smoke-passed 0)
(defvar smoke-failed 0)
(defun smoke-check (name ok &optional detail)
  (if ok
      (progn (setq smoke-passed (1+ smoke-passed)) (princ (format "  ok   %s\n" name)))
    (setq smoke-failed (1+ smoke-failed))
    (princ (format "  FAIL %s%s\n" name (if detail (format ": %s" detail) ""))))
  ok)

(defun smoke-request (server method params)
  "jsonrpc-request that returns (:error MESSAGE) instead of signalling."
  (condition-case err
      (jsonrpc-request server method params :timeout 10)
    (error (list :error (format "%S" err)))))

(defun smoke-wait (pred seconds)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      (sit-for 0.05))
    (funcall pred)))

(defun smoke-main ()
  (require 'notes-ls)
  (smoke-check "eglot is available" (require 'eglot nil t))
  (setq notes-ls-executable (getenv "NOTES_LS_BIN"))
  (setq notes-ls-settings '(:diagnostics (:unanswered-question "warning")))
  (find-file (getenv "NOTES_LS_FIXTURE"))
  (smoke-check "notes-mode for *.notes" (eq major-mode 'notes-mode) major-mode)
  (font-lock-ensure)
  (goto-char (point-min))
  (smoke-check "question marker is highlighted"
               (eq (get-text-property (point-min) 'face) 'notes-ls-question-marker-face)
               (get-text-property (point-min) 'face))
  (smoke-check "eglot-server-programs has notes-mode"
               (assq 'notes-mode eglot-server-programs))
  (let ((server (condition-case err (apply #'eglot (eglot--guess-contact))
                  (error (smoke-check "eglot starts" nil (error-message-string err)) nil))))
    (smoke-check "eglot connected"
                 (smoke-wait (lambda () (eglot-current-server)) 10))
    (setq server (eglot-current-server))
    (when server
      (let ((target-line (save-excursion
                           (goto-char (point-min))
                           (re-search-forward "^\\*What does Celery do\\?$")
                           (line-number-at-pos))))
        (smoke-check "flymake gets the unanswered-question diagnostic"
                     (smoke-wait (lambda ()
                                   (flymake-start)
                                   (cl-some (lambda (d) (= (line-number-at-pos (flymake-diagnostic-beg d)) target-line))
                                            (flymake-diagnostics)))
                                 10)
                     (format "%S" (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))))
      (goto-char (point-min))
      (re-search-forward "Usually Ngi")
      (let* ((hover (smoke-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
             (text (format "%S" hover)))
        (smoke-check "hover mentions Nginx" (string-match-p "Nginx" text) text))
      (let* ((symbols (smoke-request server :textDocument/documentSymbol
                                     (list :textDocument (eglot--TextDocumentIdentifier))))
             (text (format "%S" symbols)))
        (smoke-check "documentSymbol lists the questions"
                     (and (string-match-p "What is Gunicorn" text) (string-match-p "What does Celery do" text)) text))
      ;; Eglot 1.9 sends `shutdown' with "params": null, which some servers reject; not our concern here.
      (ignore-errors (eglot-shutdown server)))))

(condition-case err
    (smoke-main)
  (error (smoke-check "no Lisp error" nil (error-message-string err))))
(princ (format "emacs smoke: %d passed, %d failed\n" smoke-passed smoke-failed))
(kill-emacs (if (> smoke-failed 0) 1 0))
