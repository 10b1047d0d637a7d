/*
 * xml.h - what the XML sources (feed.c, heureka.c) read from libxml2
 * nodes the same way.
 */
#ifndef HARK_SOURCE_XML_H
#define HARK_SOURCE_XML_H

#include <libxml/tree.h>
#include <jansson.h>

/* N's text content, blanks trimmed at both ends, as a new string; NULL
 * when N is NULL or the text is blank. */
char *mf_xml_text(const xmlNode *n);

/* {"xml": N serialised}, a record's raw member (--raw). */
json_t *mf_xml_raw(xmlNode *n);

#endif
