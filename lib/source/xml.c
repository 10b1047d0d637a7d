/* xml.c - libxml2 helpers of the XML sources (see source/xml.h). */
#include <string.h>
#include <libxml/tree.h>

#include "hark.h"
#include "err.h"
#include "html.h"
#include "source/xml.h"

char *
mf_xml_text(const xmlNode *n)
{
	xmlChar *x;
	const char *s, *e;
	char *r = NULL;

	if (n == NULL || (x = xmlNodeGetContent(n)) == NULL)
		return NULL;
	s = (const char *)x;
	while (hark_ascii_isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && hark_ascii_isspace((unsigned char)e[-1]))
		e--;
	if (e > s)
		r = hark_xstrndup(s, (size_t)(e - s));
	xmlFree(x);
	return r;
}

json_t *
mf_xml_raw(xmlNode *n)
{
	xmlBuffer *xb = xmlBufferCreate();
	json_t *o;

	if (xb == NULL)
		hark_die(HARK_EXIT_FAILURE, "out of memory");
	xmlNodeDump(xb, n->doc, n, 0, 0);
	o = json_pack("{s:s}", "xml", (const char *)xmlBufferContent(xb));
	xmlBufferFree(xb);
	return o;
}
