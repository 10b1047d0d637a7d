/*
 * banned.h - turn unsafe or locale/thread-hostile libc calls into compile
 * errors (after git's banned.h).  Included last by hark.h; include system
 * and third-party headers before any hark header.
 */
#ifndef HARK_BANNED_H
#define HARK_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef mktemp
#define mktemp(x) BANNED(mktemp)
/* jansson's memory may not be malloc's (hark_json_fast_alloc): the text
 * must come from hark_json_dumps, which callers free() */
#undef json_dumps
#define json_dumps(v, f) BANNED(json_dumps)

#endif
