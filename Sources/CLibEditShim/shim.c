#include "CLibEditShim.h"

#include <histedit.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

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
    /* In libedit's emacs map ^R is redisplay: make it reverse search as in readline. */
    el_set(editor->el, EL_BIND, "^R", "em-inc-search-prev", NULL);
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
