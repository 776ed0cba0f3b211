#ifndef CLIBEDIT_SHIM_H
#define CLIBEDIT_SHIM_H

/*
 * Non-variadic wrappers around libedit for Swift, which cannot call C variadic functions
 * (el_set, el_get, history). Every symbol is prefixed CLibEditShim_.
 *
 * One editor per process is expected (the interactive shell); the SIGINT flag is process-wide.
 */

#include <stdio.h>
#include <histedit.h>

/* An editor: libedit's EditLine, its History, the prompt text and the completion hook. */
typedef struct CLibEditShim_Editor CLibEditShim_Editor;

/* Called on the completion key with the caller's context and the EditLine; returns a CC_* code. */
typedef unsigned char (*CLibEditShim_CompletionFunction)(void *context, EditLine *el);

/* Installs a SIGINT handler without SA_RESTART that sets a flag (call before CLibEditShim_open)
   and unblocks SIGINT in the calling thread. Returns 0 on success. */
int CLibEditShim_installInterruptHandler(void);
/* Restores the SIGINT handler that was in place before CLibEditShim_installInterruptHandler. */
void CLibEditShim_restoreInterruptHandler(void);
/* 1 when SIGINT arrived since the flag was last cleared. Safe from any thread. */
int CLibEditShim_interrupted(void);
/* Clears the SIGINT flag. */
void CLibEditShim_clearInterrupt(void);
/* Sets the SIGINT flag as if Ctrl-C had been pressed. */
void CLibEditShim_setInterrupt(void);

/* Sets the locale from the environment (LC_ALL ""), keeping numbers in the C locale. */
void CLibEditShim_setLocale(void);

/* Creates an editor on stdin/stdout/stderr: emacs keys, a history of historySize lines
   (consecutive duplicates dropped), ^R reverse search, up/down prefix search. NULL on failure. */
CLibEditShim_Editor *CLibEditShim_open(const char *program, int historySize);
/* Frees the editor and restores the terminal. */
void CLibEditShim_close(CLibEditShim_Editor *editor);
/* The EditLine, for el_line, el_insertstr and friends. */
EditLine *CLibEditShim_editLine(CLibEditShim_Editor *editor);

/* Sets the prompt (copied). Characters between two \1 are printed without taking up columns
   (for colour escapes). */
void CLibEditShim_setPrompt(CLibEditShim_Editor *editor, const char *prompt);
/* Reads a line (with its newline) into a buffer reused by the next call; NULL on end of input or
   when a signal interrupted the read (see CLibEditShim_interrupted). */
const char *CLibEditShim_gets(CLibEditShim_Editor *editor, int *count);
/* Resets the editor's line state after an interrupted read. */
void CLibEditShim_reset(CLibEditShim_Editor *editor);
/* Re-reads the terminal size. */
void CLibEditShim_resize(CLibEditShim_Editor *editor);
/* The terminal's width in columns (80 when unknown). */
int CLibEditShim_columns(CLibEditShim_Editor *editor);

/* Binds a key sequence (libedit notation, e.g. "^R", "\\e[A") to an editor command. 0 on success. */
int CLibEditShim_bind(CLibEditShim_Editor *editor, const char *key, const char *command);
/* Registers the completion function as the editor command "lodestone-complete" bound to Tab. */
int CLibEditShim_setCompletion(
    CLibEditShim_Editor *editor, CLibEditShim_CompletionFunction function, void *context);
/* Reads the user's ~/.editrc (el_source with a NULL path). 0 on success or when there is none. */
int CLibEditShim_sourceUserConfiguration(CLibEditShim_Editor *editor);

/* Adds a line to the history. 0 on success. */
int CLibEditShim_historyEnter(CLibEditShim_Editor *editor, const char *line);
/* Loads a history file written by CLibEditShim_historySave. The number of lines read, or -1. */
int CLibEditShim_historyLoad(CLibEditShim_Editor *editor, const char *path);
/* Writes the history to a file (libedit's own vis-encoded format). The number of lines, or -1. */
int CLibEditShim_historySave(CLibEditShim_Editor *editor, const char *path);
/* The number of lines in the history. */
int CLibEditShim_historyCount(CLibEditShim_Editor *editor);

/* The process's standard streams, which Swift 6 cannot reference directly. */
FILE *CLibEditShim_stdin(void);
FILE *CLibEditShim_stdout(void);
FILE *CLibEditShim_stderr(void);

/* LIBEDIT_MAJOR of the headers the shim was built with. */
int CLibEditShim_version(void);

#endif
