// SPDX-License-Identifier: Apache-2.0
#include <stdlib.h>
#include <string.h>

#include "kcsan/json.h"
#include "kcsan/strbuf.h"

struct parser {
	const char *s, *end, *name;
	int depth;
	struct kt_error *err;
};

static void where(const struct parser *p, const char *at, long *line, long *col)
{
	*line = 1;
	*col = 1;
	for (const char *q = p->s; q < at && q < p->end; q++) {
		if (*q == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static void fail(struct parser *p, const char *at, const char *what)
{
	long line, col;

	if (p->err)
		return;
	where(p, at, &line, &col);
	p->err = kt_error_new(KT_ERR_PARSE, p->name, line, "column %ld: %s", col, what);
}

static const char *skip_ws(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++;
	return s;
}

static void put_utf8(struct kt_strbuf *sb, unsigned cp)
{
	char b[4];

	if (cp < 0x80) {
		b[0] = (char)cp;
		kt_strbuf_add(sb, b, 1);
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		kt_strbuf_add(sb, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		kt_strbuf_add(sb, b, 3);
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		kt_strbuf_add(sb, b, 4);
	}
}

static int hex4(const char *s, const char *end, unsigned *v)
{
	*v = 0;
	if (end - s < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* s points after the opening quote; returns the position after the closing one. */
static const char *parse_string(struct parser *p, const char *s, char **out)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_add(&sb, "", 0);
	while (s < p->end && *s != '"') {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20) {
			fail(p, s, "control character in a string");
			goto bad;
		}
		if (c != '\\') {
			kt_strbuf_add(&sb, s, 1);
			s++;
			continue;
		}
		if (++s >= p->end)
			break;
		switch (*s) {
		case '"':
		case '\\':
		case '/':
			kt_strbuf_add(&sb, s, 1);
			break;
		case 'b':
			kt_strbuf_addc(&sb, '\b');
			break;
		case 'f':
			kt_strbuf_addc(&sb, '\f');
			break;
		case 'n':
			kt_strbuf_addc(&sb, '\n');
			break;
		case 'r':
			kt_strbuf_addc(&sb, '\r');
			break;
		case 't':
			kt_strbuf_addc(&sb, '\t');
			break;
		case 'u': {
			unsigned cp, lo;
			if (hex4(s + 1, p->end, &cp)) {
				fail(p, s, "bad \\u escape");
				goto bad;
			}
			s += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && p->end - s > 6 && s[1] == '\\' &&
			    s[2] == 'u' && hex4(s + 3, p->end, &lo) == 0 && lo >= 0xdc00 &&
			    lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				s += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = 0xfffd; /* lone surrogate */
			}
			put_utf8(&sb, cp ? cp : 0xfffd);
			break;
		}
		default:
			fail(p, s, "bad escape in a string");
			goto bad;
		}
		s++;
	}
	if (s >= p->end) {
		fail(p, s, "unterminated string");
		goto bad;
	}
	*out = kt_strbuf_detach(&sb);
	return s + 1;
bad:
	kt_strbuf_fini(&sb);
	return NULL;
}

static const char *parse_value(struct parser *p, const char *s, struct kt_json **out);

static void add_item(struct kt_json *j, char *key, struct kt_json *v)
{
	j->items = kt_xrealloc(j->items, (j->len + 1) * sizeof(*j->items));
	if (j->type == KT_JSON_OBJECT)
		j->keys = kt_xrealloc(j->keys, (j->len + 1) * sizeof(*j->keys));
	j->items[j->len] = v;
	if (j->type == KT_JSON_OBJECT)
		j->keys[j->len] = key;
	j->len++;
}

static const char *parse_container(struct parser *p, const char *s, struct kt_json *j)
{
	char close = j->type == KT_JSON_ARRAY ? ']' : '}';

	if (++p->depth > KT_JSON_MAX_DEPTH) {
		fail(p, s, "nested too deep");
		return NULL;
	}
	s = skip_ws(s + 1, p->end);
	if (s < p->end && *s == close) {
		p->depth--;
		return s + 1;
	}
	for (;;) {
		char *key = NULL;
		struct kt_json *v = NULL;

		s = skip_ws(s, p->end);
		if (j->type == KT_JSON_OBJECT) {
			if (s >= p->end || *s != '"') {
				fail(p, s, "expected a string key");
				return NULL;
			}
			s = parse_string(p, s + 1, &key);
			if (!s)
				return NULL;
			s = skip_ws(s, p->end);
			if (s >= p->end || *s != ':') {
				free(key);
				fail(p, s, "expected ':'");
				return NULL;
			}
			s++;
		}
		s = parse_value(p, s, &v);
		if (!s) {
			free(key);
			kt_json_free(v);
			return NULL;
		}
		add_item(j, key, v);
		s = skip_ws(s, p->end);
		if (s < p->end && *s == ',') {
			s++;
			continue;
		}
		if (s < p->end && *s == close) {
			p->depth--;
			return s + 1;
		}
		fail(p, s,
		     j->type == KT_JSON_ARRAY ? "expected ',' or ']'" : "expected ',' or '}'");
		return NULL;
	}
}

static const char *parse_value(struct parser *p, const char *s, struct kt_json **out)
{
	struct kt_json *j = kt_xcalloc(1, sizeof(*j));

	*out = j;
	s = skip_ws(s, p->end);
	if (s >= p->end) {
		fail(p, s, "unexpected end of input");
		return NULL;
	}
	switch (*s) {
	case '{':
		j->type = KT_JSON_OBJECT;
		return parse_container(p, s, j);
	case '[':
		j->type = KT_JSON_ARRAY;
		return parse_container(p, s, j);
	case '"':
		j->type = KT_JSON_STRING;
		return parse_string(p, s + 1, &j->str);
	case 't':
		if (p->end - s >= 4 && memcmp(s, "true", 4) == 0) {
			j->type = KT_JSON_BOOL;
			j->b = true;
			return s + 4;
		}
		break;
	case 'f':
		if (p->end - s >= 5 && memcmp(s, "false", 5) == 0) {
			j->type = KT_JSON_BOOL;
			return s + 5;
		}
		break;
	case 'n':
		if (p->end - s >= 4 && memcmp(s, "null", 4) == 0)
			return s + 4;
		break;
	default:
		if (*s == '-' || (*s >= '0' && *s <= '9')) {
			char buf[64];
			size_t n = 0;
			while (s + n < p->end && n < sizeof(buf) - 1 &&
			       strchr("+-0123456789.eE", s[n]))
				n++;
			memcpy(buf, s, n);
			buf[n] = '\0';
			char *endp;
			j->type = KT_JSON_NUMBER;
			j->num = strtod(buf, &endp);
			if (endp != buf + n || n == 0) {
				fail(p, s, "bad number");
				return NULL;
			}
			return s + n;
		}
		break;
	}
	fail(p, s, "unexpected character");
	return NULL;
}

struct kt_error *kt_json_parse(const char *text, size_t len, const char *name, struct kt_json **out)
{
	struct parser p = {.s = text, .end = text + len, .name = name};
	struct kt_json *j = NULL;
	const char *s;

	*out = NULL;
	s = parse_value(&p, text, &j);
	if (s) {
		s = skip_ws(s, p.end);
		if (s != p.end)
			fail(&p, s, "trailing characters after the value");
	}
	if (p.err) {
		kt_json_free(j);
		return p.err;
	}
	*out = j;
	return NULL;
}

void kt_json_free(struct kt_json *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->len; i++) {
		kt_json_free(j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	free(j->str);
	free(j);
}

const struct kt_json *kt_json_get(const struct kt_json *obj, const char *key)
{
	if (!obj || obj->type != KT_JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->len; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}
