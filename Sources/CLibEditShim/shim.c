#include "CLibEditShim.h"

#include <histedit.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <stdio.h>
#include <wchar.h>

struct CLibEditShim_Editor {
    EditLine *el;
    History *history;
    HistEvent event;
    char *prompt;
    CLibEditShim_CompletionFunction complete;
    void *context;
};

/* MARK: SIGINT */

static volatile sig_atomic_t interruptFlag = 0;
static struct sigaction previousInterruptAction;
static int interruptHandlerInstalled = 0;

static void onInterrupt(int signal) {
    (void)signal;
    interruptFlag = 1;
}

int CLibEditShim_installInterruptHandler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; /* no SA_RESTART: a blocked read returns EINTR, so el_gets returns */
    if (sigaction(SIGINT, &action, interruptHandlerInstalled ? NULL : &previousInterruptAction) != 0) return -1;
    interruptHandlerInstalled = 1;
    /* A parent may have started us with SIGINT blocked (threads of some runtimes block signals
       and children inherit the mask): Ctrl-C must reach the handler. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    return 0;
}

void CLibEditShim_restoreInterruptHandler(void) {
    if (!interruptHandlerInstalled) return;
    sigaction(SIGINT, &previousInterruptAction, NULL);
    interruptHandlerInstalled = 0;
}

int CLibEditShim_interrupted(void) { return interruptFlag != 0; }
void CLibEditShim_clearInterrupt(void) { interruptFlag = 0; }
void CLibEditShim_setInterrupt(void) { interruptFlag = 1; }

void CLibEditShim_setLocale(void) {
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
}

/* MARK: Editor */

static CLibEditShim_Editor *editorOf(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return (CLibEditShim_Editor *)data;
}

static char *promptOf(EditLine *el) {
    CLibEditShim_Editor *editor = editorOf(el);
    return (editor && editor->prompt) ? editor->prompt : (char *)"";
}

static unsigned char completeTrampoline(EditLine *el, int ch) {
    (void)ch;
    CLibEditShim_Editor *editor = editorOf(el);
    if (!editor || !editor->complete) return CC_ERROR;
    return editor->complete(editor->context, el);
}

/* MARK: Reverse search
 *
 * libedit's own incremental search (em-inc-search-prev) reads what is typed as a regular
 * expression, so a search for `cover_days["JP"]` or `run(m` finds nothing. This one matches the
 * typed text literally: Ctrl-R starts it (and, again, finds an older match), printable keys and
 * Backspace edit the text searched for, Enter runs the line found, Ctrl-G or Ctrl-C puts the
 * line back as it was, any other key ends the search and then does what it does. */

/* The index (0: newest) of the newest history line at or after `from` containing `text`, with
 * the line in *found; -1 when none does. */
static int findInHistory(CLibEditShim_Editor *editor, const char *text, int from, const char **found) {
    HistEvent event;
    int index = 0;
    for (int r = history(editor->history, &event, H_FIRST); r >= 0; r = history(editor->history, &event, H_NEXT), index++) {
        if (index >= from && strstr(event.str, text) != NULL) {
            *found = event.str;
            return index;
        }
    }
    return -1;
}

/* Replaces the whole line being edited by `text`, the cursor at its end. */
static void replaceLine(EditLine *el, const char *text) {
    const LineInfo *line = el_line(el);
    el_cursor(el, (int)(line->lastchar - line->cursor));
    line = el_line(el);
    el_deletestr(el, (int)(line->lastchar - line->buffer));
    if (text[0] != '\0') el_insertstr(el, text);
}

/* The columns a text takes on the screen: code points outside the \1 … \1 escapes of a prompt. */
static int screenWidth(const char *text, const char *end) {
    int width = 0, hidden = 0;
    for (const char *p = text; *p && (!end || p < end); p++) {
        if (*p == '\1') {
            hidden = !hidden;
        } else if (!hidden && (*p & 0xC0) != 0x80) {
            width++;
        }
    }
    return width;
}

/* How many rows above the cursor the prompt starts. */
static int rowsAboveCursor(EditLine *el, const char *prompt) {
    int columns = 0;
    if (el_get(el, EL_GETTC, "co", &columns, (void *)NULL) != 0 || columns <= 0) columns = 80;
    const LineInfo *line = el_line(el);
    return (screenWidth(prompt, NULL) + screenWidth(line->buffer, line->cursor)) / columns;
}

/* Draws the prompt and the line again from the prompt's first row (EL_REFRESH alone redraws
 * from wherever the cursor is). `rows` is how far above the cursor the prompt was drawn. */
static void redraw(EditLine *el, CLibEditShim_Editor *editor, int rows) {
    if (rows > 0) fprintf(stdout, "\033[%dA", rows);
    fputs("\r\033[J", stdout);
    fflush(stdout);
    el_set(el, EL_REFRESH);
    (void)editor;
}

static void setSearchPrompt(CLibEditShim_Editor *editor, const char *query, int failing) {
    size_t size = strlen(query) + 40;
    char *prompt = malloc(size);
    if (!prompt) return;
    snprintf(prompt, size, "(%sreverse-i-search)`%s': ", failing ? "failing " : "", query);
    free(editor->prompt);
    editor->prompt = prompt;
}

static unsigned char reverseSearch(EditLine *el, int ch) {
    (void)ch;
    CLibEditShim_Editor *editor = editorOf(el);
    if (!editor) return CC_ERROR;
    const LineInfo *line = el_line(el);
    size_t originalLength = (size_t)(line->lastchar - line->buffer);
    char *original = malloc(originalLength + 1);
    char *savedPrompt = strdup(editor->prompt ? editor->prompt : "");
    char query[1024] = "";
    size_t length = 0;
    if (!original || !savedPrompt) {
        free(original);
        free(savedPrompt);
        return CC_ERROR;
    }
    memcpy(original, line->buffer, originalLength);
    original[originalLength] = '\0';
    int match = -1, failing = 0;
    unsigned char result = CC_REFRESH;
    int rows = rowsAboveCursor(el, savedPrompt);
    for (;;) {
        setSearchPrompt(editor, query, failing);
        redraw(el, editor, rows);
        rows = rowsAboveCursor(el, editor->prompt);
        wchar_t key;
        if (el_wgetc(el, &key) <= 0) {  /* Ctrl-C (the signal breaks the read) or the end */
            replaceLine(el, original);
            result = CC_EOF;
            break;
        }
        if (key == 18) {  /* Ctrl-R: an older match */
            const char *found = NULL;
            int next = length > 0 ? findInHistory(editor, query, match + 1, &found) : -1;
            if (next >= 0) {
                match = next;
                failing = 0;
                replaceLine(el, found);
            } else if (length > 0) {
                failing = 1;
            }
            continue;
        }
        if (key == 7 || key == 3) {  /* Ctrl-G, Ctrl-C as a character: put the line back */
            replaceLine(el, original);
            break;
        }
        if (key == 127 || key == 8) {  /* Backspace: search again for the shorter text */
            while (length > 0 && (query[length - 1] & 0xC0) == 0x80) length--;
            if (length > 0) length--;
            query[length] = '\0';
        } else if (key == '\r' || key == '\n') {
            /* Enter runs the line found: libedit's own newline does the rest. */
            el_wpush(el, L"\n");
            break;
        } else if (key >= 32) {
            char bytes[MB_LEN_MAX];
            mbstate_t state;
            memset(&state, 0, sizeof state);
            size_t count = wcrtomb(bytes, key, &state);
            if (count == (size_t)-1 || length + count >= sizeof query) continue;
            memcpy(query + length, bytes, count);
            length += count;
            query[length] = '\0';
        } else {  /* another key: stop searching, keep the line found, and let the key act */
            wchar_t again[2] = {key, 0};
            el_wpush(el, again);
            break;
        }
        const char *found = NULL;
        int at = length > 0 ? findInHistory(editor, query, 0, &found) : -1;
        if (at >= 0) {
            match = at;
            failing = 0;
            replaceLine(el, found);
        } else {
            failing = length > 0;
            if (length == 0) {
                match = -1;
                replaceLine(el, original);
            }
        }
    }
    free(editor->prompt);
    editor->prompt = savedPrompt;
    free(original);
    redraw(el, editor, rows);
    return result;
}

CLibEditShim_Editor *CLibEditShim_open(const char *program, int historySize) {
    CLibEditShim_Editor *editor = calloc(1, sizeof *editor);
    if (!editor) return NULL;
    editor->prompt = strdup("");
    editor->el = el_init(program, stdin, stdout, stderr);
    editor->history = history_init();
    if (!editor->el || !editor->history || !editor->prompt) {
        CLibEditShim_close(editor);
        return NULL;
    }
    history(editor->history, &editor->event, H_SETSIZE, historySize > 0 ? historySize : 1000);
    history(editor->history, &editor->event, H_SETUNIQUE, 1);
    el_set(editor->el, EL_CLIENTDATA, (void *)editor);
    el_set(editor->el, EL_EDITOR, "emacs");
    el_set(editor->el, EL_PROMPT_ESC, promptOf, '\1');
    el_set(editor->el, EL_HIST, history, editor->history);
    /* In libedit's emacs map ^R is redisplay: make it reverse search as in readline (ours, literal). */
    el_set(editor->el, EL_ADDFN, "lodestone-reverse-search", "Search the history backwards for the typed text",
           reverseSearch);
    el_set(editor->el, EL_BIND, "^R", "lodestone-reverse-search", NULL);
    /* Arrows search the history for lines starting with what is typed before the cursor. */
    el_set(editor->el, EL_BIND, "\\e[A", "ed-search-prev-history", NULL);
    el_set(editor->el, EL_BIND, "\\e[B", "ed-search-next-history", NULL);
    el_set(editor->el, EL_BIND, "\\eOA", "ed-search-prev-history", NULL);
    el_set(editor->el, EL_BIND, "\\eOB", "ed-search-next-history", NULL);
    return editor;
}

void CLibEditShim_close(CLibEditShim_Editor *editor) {
    if (!editor) return;
    if (editor->el) el_end(editor->el);
    if (editor->history) history_end(editor->history);
    free(editor->prompt);
    free(editor);
}

EditLine *CLibEditShim_editLine(CLibEditShim_Editor *editor) { return editor->el; }

void CLibEditShim_setPrompt(CLibEditShim_Editor *editor, const char *prompt) {
    char *copy = strdup(prompt ? prompt : "");
    if (!copy) return;
    free(editor->prompt);
    editor->prompt = copy;
}

const char *CLibEditShim_gets(CLibEditShim_Editor *editor, int *count) { return el_gets(editor->el, count); }

void CLibEditShim_reset(CLibEditShim_Editor *editor) { el_reset(editor->el); }

void CLibEditShim_resize(CLibEditShim_Editor *editor) { el_resize(editor->el); }

int CLibEditShim_columns(CLibEditShim_Editor *editor) {
    int columns = 0;
    if (el_get(editor->el, EL_GETTC, "co", &columns, (void *)NULL) != 0 || columns <= 0) return 80;
    return columns;
}

int CLibEditShim_bind(CLibEditShim_Editor *editor, const char *key, const char *command) {
    return el_set(editor->el, EL_BIND, key, command, NULL);
}

int CLibEditShim_setCompletion(
    CLibEditShim_Editor *editor, CLibEditShim_CompletionFunction function, void *context) {
    editor->complete = function;
    editor->context = context;
    if (el_set(editor->el, EL_ADDFN, "lodestone-complete", "Complete the word before the cursor",
               completeTrampoline) != 0)
        return -1;
    return el_set(editor->el, EL_BIND, "^I", "lodestone-complete", NULL);
}

int CLibEditShim_sourceUserConfiguration(CLibEditShim_Editor *editor) {
    /* el_source fails when there is no ~/.editrc, which is not an error for the caller. */
    el_source(editor->el, NULL);
    return 0;
}

/* MARK: History */

int CLibEditShim_historyEnter(CLibEditShim_Editor *editor, const char *line) {
    return history(editor->history, &editor->event, H_ENTER, line) < 0 ? -1 : 0;
}

int CLibEditShim_historyLoad(CLibEditShim_Editor *editor, const char *path) {
    return history(editor->history, &editor->event, H_LOAD, path);
}

int CLibEditShim_historySave(CLibEditShim_Editor *editor, const char *path) {
    return history(editor->history, &editor->event, H_SAVE, path);
}

int CLibEditShim_historyCount(CLibEditShim_Editor *editor) {
    if (history(editor->history, &editor->event, H_GETSIZE) < 0) return 0;
    return editor->event.num;
}

/* MARK: Streams */

FILE *CLibEditShim_stdin(void) { return stdin; }
FILE *CLibEditShim_stdout(void) { return stdout; }
FILE *CLibEditShim_stderr(void) { return stderr; }

int CLibEditShim_version(void) { return LIBEDIT_MAJOR; }
