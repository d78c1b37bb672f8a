package main

import (
	"bytes"
	"fmt"
	"strings"
)

func timeFmtConst(f string) string {
	switch f {
	case fmtDate:
		return "fmtDate"
	case fmtEpoch:
		return "fmtEpoch"
	case fmtOffset:
		return "fmtDateTimeOffset"
	}
	return "fmtDateTime"
}

// dec returns statements that decode into tgt and set ok.
func dec(r *typeRef, nullable bool, tgt string, depth int) string {
	ptr := ""
	if nullable {
		ptr = "Ptr"
	}
	switch r.Kind {
	case kString:
		return fmt.Sprintf("%s, ok = d.str%s()", tgt, ptr)
	case kNumID:
		return fmt.Sprintf("%s, ok = d.numID%s()", tgt, ptr)
	case kInt:
		return fmt.Sprintf("%s, ok = d.int%s()", tgt, ptr)
	case kFloat:
		return fmt.Sprintf("%s, ok = d.float%s()", tgt, ptr)
	case kBool:
		return fmt.Sprintf("%s, ok = d.bool%s()", tgt, ptr)
	case kTime:
		return fmt.Sprintf("%s, ok = d.time%s(%s)", tgt, ptr, timeFmtConst(r.TimeFmt))
	case kRaw:
		return fmt.Sprintf("%s, ok = d.raw()", tgt)
	case kEnum, kStruct:
		method := "decode"
		if r.Kind == kStruct {
			method = "decodeValue"
		}
		if !nullable {
			return fmt.Sprintf("ok = %s.%s(d)", tgt, method)
		}
		if r.Kind == kStruct {
			return fmt.Sprintf("switch d.peek() {\ncase 'n':\nd.lit()\n%s = nil\nok = true\ncase '{':\n%s = carve(d, &d.p%s)\nok = %s.decodeValue(d)\ndefault:\n%s = nil\nd.skip()\n}", tgt, tgt, r.Name, tgt, tgt)
		}
		return fmt.Sprintf("if d.null() {\n%s = nil\nok = true\n} else {\n%s = new(%s)\nok = %s.%s(d)\n}", tgt, tgt, r.Name, tgt, method)
	case kSlice:
		if r.Elem.Kind == kStruct {
			return fmt.Sprintf("%s, ok = decodeSliceIn(d, &d.s%s, (*%s).decodeValue)", tgt, r.Elem.Name, r.Elem.Name)
		}
		return fmt.Sprintf("%s, ok = decodeSlice(d, %s)", tgt, elemFunc(r.Elem, depth))
	case kMap:
		return fmt.Sprintf("%s, ok = decodeMap(d, %s)", tgt, elemFunc(r.Elem, depth))
	}
	panic("dec: " + r.Kind)
}

func elemFunc(r *typeRef, depth int) string {
	switch r.Kind {
	case kString:
		return "decodeStringElem"
	case kInt:
		return "decodeIntElem"
	case kRaw:
		return "decodeRawElem"
	case kEnum:
		return "(*" + r.Name + ").decode"
	case kStruct:
		return "(*" + r.Name + ").decodeValue"
	}
	// Other kinds (no entity has a []float64 or []bool today) get a literal.
	return fmt.Sprintf("func(v *%s, d *decoder) bool {\nvar ok bool\n%s\nreturn ok\n}", goType(r, false), dec(r, false, "*v", depth+1))
}

// enc returns statements that encode expr.
func enc(r *typeRef, nullable bool, expr string, depth int) string {
	ptr := ""
	if nullable {
		ptr = "Ptr"
	}
	switch r.Kind {
	case kString:
		return fmt.Sprintf("e.str%s(%s)", ptr, expr)
	case kNumID:
		return fmt.Sprintf("e.numID%s(%s)", ptr, expr)
	case kInt:
		return fmt.Sprintf("e.int%s(%s)", ptr, expr)
	case kFloat:
		return fmt.Sprintf("e.float%s(%s)", ptr, expr)
	case kBool:
		return fmt.Sprintf("e.bool%s(%s)", ptr, expr)
	case kTime:
		return fmt.Sprintf("e.time%s(%s, %s)", ptr, expr, timeFmtConst(r.TimeFmt))
	case kRaw:
		return fmt.Sprintf("e.raw(%s)", expr)
	case kEnum:
		if nullable {
			return fmt.Sprintf("if %s == nil {\ne.null()\n} else {\ne.str(string(*%s))\n}", expr, expr)
		}
		return fmt.Sprintf("e.str(string(%s))", expr)
	case kStruct:
		if nullable {
			return fmt.Sprintf("if %s == nil {\ne.null()\n} else {\n%s.encode(e)\n}", expr, expr)
		}
		return fmt.Sprintf("%s.encode(e)", expr)
	case kSlice:
		i := fmt.Sprintf("i%d", depth)
		return fmt.Sprintf("if %s == nil {\ne.null()\n} else {\ne.b = append(e.b, '[')\nfor %s := range %s {\nif %s > 0 {\ne.b = append(e.b, ',')\n}\n%s\n}\ne.b = append(e.b, ']')\n}",
			expr, i, expr, i, enc(r.Elem, false, expr+"["+i+"]", depth+1))
	case kMap:
		i, k, v := fmt.Sprintf("i%d", depth), fmt.Sprintf("k%d", depth), fmt.Sprintf("v%d", depth)
		return fmt.Sprintf("if %s == nil {\ne.null()\n} else {\ne.b = append(e.b, '{')\nfor %s, %s := range sortedMapKeys(%s) {\nif %s > 0 {\ne.b = append(e.b, ',')\n}\ne.str(%s)\ne.b = append(e.b, ':')\n%s := %s[%s]\n%s\n}\ne.b = append(e.b, '}')\n}",
			expr, i, k, expr, i, k, v, expr, k, enc(r.Elem, false, v, depth+1))
	}
	panic("enc: " + r.Kind)
}

// nonZero returns an expression true when expr holds a non-zero value.
func nonZero(r *typeRef, nullable bool, expr string) string {
	if nullable {
		return expr + " != nil"
	}
	switch r.Kind {
	case kString, kNumID, kEnum:
		return expr + ` != ""`
	case kInt, kFloat:
		return expr + " != 0"
	case kBool:
		return expr
	case kTime:
		return "!" + expr + ".IsZero()"
	case kStruct:
		return "!" + expr + ".isZero()"
	}
	return expr + " != nil"
}

func (g *generator) codecFile(ts []*typ) []byte {
	var body bytes.Buffer
	structs := false
	for _, t := range ts {
		switch {
		case t.IsEnum:
			g.enumCodec(&body, t)
		case t.IsSlice != nil:
		default:
			g.structCodec(&body, t)
			structs = true
		}
	}
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package mastodon\n\n")
	if structs {
		b.WriteString("import \"sync/atomic\"\n\n")
	}
	b.Write(body.Bytes())
	return b.Bytes()
}

func (g *generator) enumCodec(b *bytes.Buffer, t *typ) {
	fmt.Fprintf(b, "func (v *%s) decode(d *decoder) bool {\nb, k := d.text()\nswitch string(b) {\n", t.Name)
	for _, v := range t.Values {
		fmt.Fprintf(b, "case %q:\n*v = %s\n", v, t.Prefix+goName(v))
	}
	fmt.Fprintf(b, "default:\n*v = %s(d.intern(b))\n}\nreturn k == '\"'\n}\n\n", t.Name)
}

func (g *generator) structCodec(b *bytes.Buffer, t *typ) {
	n := t.Name
	// Decoding.
	fmt.Fprintf(b, "// UnmarshalJSON decodes a %s leniently; only malformed JSON is an error.\n", n)
	fmt.Fprintf(b, "func (s *%s) UnmarshalJSON(data []byte) error {\n*s = %s{}\nd := newDecoder(data)\nd.ws()\nstart := d.i\nif !s.decodeValue(d) && d.err == nil {\nvar e encoder\ns.encode(&e)\ns.keepVerbatim(d, -1, start, e.b)\n}\nerr := d.finish()\nd.free()\nreturn err\n}\n\n", n, n)
	fmt.Fprintf(b, "// MarshalJSON encodes the %s with every member it was decoded from.\n", n)
	fmt.Fprintf(b, "func (s %s) MarshalJSON() ([]byte, error) {\nvar e encoder\ns.encode(&e)\nreturn e.b, nil\n}\n\n", n)
	fmt.Fprintf(b, "// HasField reports whether the JSON the %s was decoded from had the\n// member name, even as null.\nfunc (s *%s) HasField(name string) bool {\nif f := field%s([]byte(name)); f >= 0 {\nreturn s.has(f)\n}\n", n, n, n)
	if t.Embed != "" {
		fmt.Fprintf(b, "if s.%s.HasField(name) {\nreturn true\n}\n", t.Embed)
	}
	b.WriteString("_, ok := s.UnknownField(name)\nreturn ok\n}\n\n")
	embedMark := ""
	if t.Embed != "" {
		embedMark = "s." + t.Embed + ".markDecoded()\n"
	}
	// Member names are matched against what the server sent last time
	// first: Mastodon writes an entity's members in the same order every
	// time, so the name that followed field f before usually follows it
	// again, and comparing the raw bytes with it spares reading the name
	// out and looking it up.
	fmt.Fprintf(b, "// names%s are the %s member names, quoted and with their colon, by\n// field number.\n", n, n)
	fmt.Fprintf(b, "var names%s = [...]string{", n)
	for i, f := range t.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		if k := quoteKey(f.JSON); strings.Contains(k, "`") {
			fmt.Fprintf(b, "%q", k)
		} else {
			b.WriteString("`" + k + "`")
		}
	}
	b.WriteString("}\n\n")
	fmt.Fprintf(b, "// order%s holds, for each field number plus one (0 for the start of\n// the object), the field number whose name came next last time.\n", n)
	fmt.Fprintf(b, "var order%s [%d]atomic.Int32\n\n", n, len(t.Fields)+1)
	fmt.Fprintf(b, "// field%s returns the field number of a %s member name, or -1.\n", n, n)
	fmt.Fprintf(b, "func field%s(key []byte) int {\nswitch string(key) {\n", n)
	for i, f := range t.Fields {
		fmt.Fprintf(b, "case %q:\nreturn %d\n", f.JSON, i)
	}
	b.WriteString("}\nreturn -1\n}\n\n")
	unknown := "s.addUnknown(d, key)\n"
	if t.Embed != "" {
		unknown = fmt.Sprintf("if !s.%s.decodeField(d, key) {\ns.addUnknown(d, key)\n}\n", t.Embed)
	}
	// The member loop tries the expected member first, written plainly
	// right after the ',' (or the '{'); decodeAt matches its name and
	// decodes its value in one step. The closing brace right after a
	// value ends the loop. Anything else (white space, a name not
	// expected, escapes in a name) takes the general path, which reads the
	// name out.
	fmt.Fprintf(b, `func (s *%[1]s) decodeValue(d *decoder) bool {
if d.peek() != '{' {
d.skip()
return false
}
d.i++
if !d.enter() {
return false
}
s.markDecoded()
%[2]sprev := 0
for first := true; ; {
guess := int(order%[1]s[prev].Load())
if j := d.i; uint(j) < uint(len(d.b)) {
if c := d.b[j]; (c == ',') != first {
if !first {
j++
}
if s.decodeAt(d, guess, j) {
first = false
prev = guess + 1
continue
}
} else if c == '}' {
d.i = j + 1
break
}
}
if !d.nextMember(&first) {
break
}
f := guess
if !s.decodeAt(d, f, d.i) {
key, ok := d.memberName()
if !ok {
break
}
if f = field%[1]s(key); f < 0 {
%[3]scontinue
}
if f != guess {
order%[1]s[prev].Store(int32(f))
}
s.decodeAt(d, f, -1)
}
prev = f + 1
}
d.depth--
return true
}

`, n, embedMark, unknown)
	fmt.Fprintf(b, "func (s *%s) decodeField(d *decoder, key []byte) bool {\nf := field%s(key)\nif f < 0 {\n", n, n)
	if t.Embed != "" {
		fmt.Fprintf(b, "return s.%s.decodeField(d, key)\n", t.Embed)
	} else {
		b.WriteString("return false\n")
	}
	b.WriteString("}\ns.decodeAt(d, f, -1)\nreturn true\n}\n\n")
	fmt.Fprintf(b, "// decodeAt decodes the value of field f. When j >= 0 the field's name is\n// expected first, at d.b[j:]: if it is not there, decodeAt reads nothing\n// and reports false.\n")
	if len(t.Fields) == 0 {
		fmt.Fprintf(b, "func (s *%s) decodeAt(d *decoder, f, j int) bool {\nreturn false\n}\n\n", n)
	} else {
		g.decodeAt(b, t)
	}

	// Encoding.
	fmt.Fprintf(b, "func (s *%s) encode(e *encoder) {\nm := len(e.b)\ne.b = append(e.b, '{')\nfirst := true\ns.encodeFields(e, &first)\ns.encodeUnknown(e, &first)\ne.b = append(e.b, '}')\ns.fix(e, -1, m)\n}\n\n", n)
	fmt.Fprintf(b, "func (s *%s) encodeFields(e *encoder, first *bool) {\n", n)
	if t.Embed != "" {
		fmt.Fprintf(b, "s.%s.encodeFields(e, first)\n", t.Embed)
	}
	if len(t.Fields) > 0 {
		fmt.Fprintf(b, "all := !s.decoded()\nfor f, k := range names%s[:] {\nif s.has(f) || all || s.isSet(f) {\ne.key(first, k)\nm := len(e.b)\ns.encodeField(e, f)\ns.fix(e, f, m)\n}\n}\n", n)
	}
	b.WriteString("}\n\n")
	fmt.Fprintf(b, "func (s *%s) encodeField(e *encoder, f int) {\n", n)
	if len(t.Fields) > 0 {
		b.WriteString("switch f {\n")
		for i, f := range t.Fields {
			fmt.Fprintf(b, "case %d:\n", i)
			if f.T.Kind == kQuote {
				b.WriteString("switch {\ncase s.Quote != nil:\ns.Quote.encode(e)\ncase s.ShallowQuote != nil:\ns.ShallowQuote.encode(e)\ndefault:\ne.null()\n}\n")
				continue
			}
			body := enc(f.T, f.Nullable, "s."+f.Go, 0)
			if (f.T.Kind == kSlice || f.T.Kind == kMap) && !f.Nullable {
				// A list or map built in code and left nil is sent empty.
				empty := "[]"
				if f.T.Kind == kMap {
					empty = "{}"
				}
				body = fmt.Sprintf("if s.%s == nil && !s.decoded() {\ne.b = append(e.b, %q...)\n} else {\n%s\n}", f.Go, empty, body)
			}
			b.WriteString(body + "\n")
		}
		b.WriteString("}\n")
	}
	b.WriteString("}\n\n")
	fmt.Fprintf(b, "// isSet reports whether field f of the %s holds a value other than its\n// zero value.\nfunc (s *%s) isSet(f int) bool {\n", n, n)
	if len(t.Fields) > 0 {
		b.WriteString("switch f {\n")
		for i, f := range t.Fields {
			cond := "s.Quote != nil || s.ShallowQuote != nil"
			if f.T.Kind != kQuote {
				cond = nonZero(f.T, f.Nullable, "s."+f.Go)
			}
			fmt.Fprintf(b, "case %d:\nreturn %s\n", i, cond)
		}
		b.WriteString("}\n")
	}
	b.WriteString("return false\n}\n\n")
	fmt.Fprintf(b, "func (s *%s) isZero() bool {\nif !s.wire.empty()", n)
	if t.Embed != "" {
		fmt.Fprintf(b, " || !s.%s.isZero()", t.Embed)
	}
	b.WriteString(" {\nreturn false\n}\n")
	if len(t.Fields) > 0 {
		fmt.Fprintf(b, "for f := range names%s {\nif s.isSet(f) {\nreturn false\n}\n}\n", n)
	}
	b.WriteString("return true\n}\n\n")
}

func quoteKey(k string) string {
	var e strings.Builder
	e.WriteByte('"')
	for _, c := range k {
		if c == '"' || c == '\\' {
			e.WriteByte('\\')
		}
		e.WriteRune(c)
	}
	e.WriteString(`":`)
	return e.String()
}

// registryFile writes the table decodeEntity looks entity types up in.
func (g *generator) registryFile() []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package mastodon\n\n")
	b.WriteString("// entityDecoders holds the decoders of the entities, and of slices and\n// maps of them, by the type of the pointer they decode into (see\n// decodeEntity).\n")
	b.WriteString("var entityDecoders = entityDecoderTable(\n")
	for _, name := range g.order {
		if t := g.types[name]; !t.IsEnum && t.IsSlice == nil {
			fmt.Fprintf(&b, "decodersOf[%s](),\n", t.Name)
		}
	}
	b.WriteString(")\n")
	return b.Bytes()
}

// namesFile writes, for the tests, the entity types by the names the
// OpenAPI file, Mastodon.py and this package give them.
func (g *generator) namesFile() []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package mastodon\n\n")
	b.WriteString("// entityTypes maps each entity name, as the OpenAPI file and Mastodon.py\n// name it, to a function returning a pointer to a new value of its type.\n")
	b.WriteString("var entityTypes = map[string]func() any{\n")
	seen := map[string]bool{}
	add := func(name, goT string) {
		if seen[name] {
			return
		}
		seen[name] = true
		fmt.Fprintf(&b, "%q: func() any { return new(%s) },\n", name, goT)
	}
	for _, name := range g.order {
		t := g.types[name]
		add(t.Name, t.Name)
		for _, n := range t.SpecNames {
			add(n, t.Name)
		}
	}
	b.WriteString("}\n\n")
	b.WriteString("// mastodonPyNames maps Mastodon.py's entity names to ours where they differ.\n")
	b.WriteString("var mastodonPyNames = map[string]string{\n")
	seenMP := map[string]bool{}
	for _, name := range g.order {
		t := g.types[name]
		if t.MPName != "" && t.MPName != t.Name && !seenMP[t.MPName] {
			seenMP[t.MPName] = true
			fmt.Fprintf(&b, "%q: %q,\n", t.MPName, t.Name)
		}
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// plainFile writes, for the decode benchmark, a copy of every struct type
// with the same fields and JSON names but no codec of its own, so that
// encoding/json decodes it by reflection.
func (g *generator) plainFile() []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package mastodon\n\nimport (\n\"encoding/json\"\n\"time\"\n)\n\n")
	b.WriteString("var _ json.RawMessage\nvar _ time.Time\n\n")
	for _, name := range g.order {
		t := g.types[name]
		if t.IsEnum || t.IsSlice != nil {
			continue
		}
		fmt.Fprintf(&b, "type plain%s struct {\n", t.Name)
		if t.Embed != "" {
			fmt.Fprintf(&b, "plain%s\n", t.Embed)
		}
		for _, f := range t.Fields {
			if f.T.Kind == kQuote {
				b.WriteString("Quote *plainQuote `json:\"quote\"`\n")
				continue
			}
			fmt.Fprintf(&b, "%s %s `json:%q`\n", f.Go, plainType(f.T, f.Nullable), f.JSON)
		}
		b.WriteString("}\n\n")
	}
	return b.Bytes()
}

func plainType(r *typeRef, nullable bool) string {
	switch r.Kind {
	case kStruct:
		if nullable {
			return "*plain" + r.Name
		}
		return "plain" + r.Name
	case kTime:
		if r.TimeFmt == fmtDate || r.TimeFmt == fmtEpoch {
			if nullable {
				return "*string"
			}
			return "string"
		}
	case kSlice:
		return "[]" + plainType(r.Elem, false)
	case kMap:
		return "map[string]" + plainType(r.Elem, false)
	}
	return goType(r, nullable)
}

// slabsFile declares the blocks the decoder carves entities out of: one
// for each type met behind a pointer, one for each met as a list element.
func (g *generator) slabsFile() []byte {
	ptrs, lists := map[string]bool{"Quote": true, "ShallowQuote": true}, map[string]bool{}
	for _, name := range g.order {
		t := g.types[name]
		for _, f := range t.Fields {
			if f.T.Kind == kStruct && f.Nullable {
				ptrs[f.T.Name] = true
			}
			walkRef(f.T, func(r *typeRef) {
				if r.Kind == kSlice && r.Elem.Kind == kStruct {
					lists[r.Elem.Name] = true
				}
			})
		}
	}
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package mastodon\n\n")
	b.WriteString("// slabs holds the blocks a decoder carves entities out of (see decoder).\ntype slabs struct {\n")
	for _, n := range sortedKeys(ptrs) {
		fmt.Fprintf(&b, "p%s block[%s]\n", n, n)
	}
	for _, n := range sortedKeys(lists) {
		fmt.Fprintf(&b, "s%s block[%s]\n", n, n)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// matchMember returns the call that matches the member name k (quoted
// and with its colon) at d.b[j:], its bytes as constant words (see
// decoder.member4).
func matchMember(k string) string {
	n := len(k)
	switch {
	case n < 4:
		panic("matchMember: " + k)
	case n < 8:
		return fmt.Sprintf("d.member4(j, %d, %#08x, %#08x)", n, le(k[:4]), le(k[n-4:]))
	case n <= 16:
		return fmt.Sprintf("d.member8(j, %d, %#016x, %#016x)", n, le(k[:8]), le(k[n-8:]))
	}
	return fmt.Sprintf("d.member16(j, %d, %#016x, %#016x, %q)", n, le(k[:8]), le(k[n-8:]), k[8:n-8])
}

// le returns the bytes of s (at most 8) as a little-endian number.
func le(s string) uint64 {
	var w uint64
	for i := len(s) - 1; i >= 0; i-- {
		w = w<<8 | uint64(s[i])
	}
	return w
}

// decodeAt writes the method that decodes one member of t, its name first
// when it is expected at j (see decodeValue).
func (g *generator) decodeAt(b *bytes.Buffer, t *typ) {
	fmt.Fprintf(b, "func (s *%s) decodeAt(d *decoder, f, j int) bool {\nvar ok bool\nvar start int\nswitch f {\n", t.Name)
	for i, f := range t.Fields {
		fmt.Fprintf(b, "case %d:\nif j >= 0 && !%s {\nreturn false\n}\ns.mark(%d)\nstart = d.i\n", i, matchMember(quoteKey(f.JSON)), i)
		if f.T.Kind == kQuote {
			b.WriteString("s.Quote, s.ShallowQuote = nil, nil\nswitch {\ncase d.null():\nok = true\ncase d.shallowQuote():\ns.ShallowQuote = new(ShallowQuote)\nok = s.ShallowQuote.decodeValue(d)\ndefault:\ns.Quote = new(Quote)\nok = s.Quote.decodeValue(d)\n}\n")
			continue
		}
		b.WriteString(dec(f.T, f.Nullable, "s."+f.Go, 0) + "\n")
	}
	b.WriteString("default:\nreturn false\n}\nif !ok {\nvar e encoder\ns.encodeField(&e, f)\ns.keepVerbatim(d, f, start, e.b)\n} else if s.x != nil {\ns.x.dropVerbatim(f)\n}\nreturn true\n}\n\n")
}
