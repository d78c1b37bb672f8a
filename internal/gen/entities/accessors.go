package main

import (
	"bytes"
	"fmt"
)

// accessorsFile writes, for each struct entity of a group, a String method
// (values, not addresses; see stringify in the package), an Equal method
// that go-cmp and users' tests can call (see equalValues) and a nil-safe
// GetX accessor for each pointer field: the value, or the zero value when
// the entity or the field is nil. A pointer to a struct is returned as
// is, so calls chain: st.GetPoll().GetExpiresAt().
func (g *generator) accessorsFile(ts []*typ) []byte {
	var body bytes.Buffer
	needTime := false
	for _, t := range ts {
		if t.IsEnum || t.IsSlice != nil {
			continue
		}
		if !ownString[t.Name] {
			fmt.Fprintf(&body, "// String prints the %s's fields with their values rather than addresses,\n", t.Name)
			fmt.Fprintf(&body, "// leaving out nil ones and redacting secrets.\n")
			fmt.Fprintf(&body, "func (x *%s) String() string { return stringify(x) }\n\n", t.Name)
		}
		fmt.Fprintf(&body, "// Equal reports whether x and y hold the same data, ignoring what decoding\n")
		fmt.Fprintf(&body, "// recorded (see EqualEntities). cmp.Equal and cmp.Diff use it.\n")
		fmt.Fprintf(&body, "func (x %s) Equal(y %s) bool { return equalValues(&x, &y) }\n\n", t.Name, t.Name)
		for _, f := range t.Fields {
			if f.T.Kind == kQuote {
				accessor(&body, t.Name, "Quote", "*Quote", "")
				accessor(&body, t.Name, "ShallowQuote", "*ShallowQuote", "")
				continue
			}
			ret, zero, ok := accessorType(f)
			if !ok {
				continue
			}
			if f.T.Kind == kTime {
				needTime = true
			}
			accessor(&body, t.Name, f.Go, ret, zero)
		}
	}
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package mastodon\n\n")
	if needTime {
		b.WriteString("import \"time\"\n\n")
	}
	b.Write(body.Bytes())
	return b.Bytes()
}

// ownString names the entities whose String method is written by hand
// (push.go: a PushNotification's String, GoString, Format and LogValue all
// keep its token out).
var ownString = map[string]bool{"PushNotification": true}

// accessorType gives the accessor's result type and the zero value it
// returns for nil ("" for a struct pointer, which is returned as it is);
// ok is false for fields that are not pointers.
func accessorType(f *field) (ret, zero string, ok bool) {
	if !f.Nullable {
		return "", "", false
	}
	switch f.T.Kind {
	case kString, kNumID:
		return "string", `""`, true
	case kInt:
		return "int", "0", true
	case kFloat:
		return "float64", "0", true
	case kBool:
		return "bool", "false", true
	case kTime:
		return "time.Time", "time.Time{}", true
	case kEnum:
		return f.T.Name, `""`, true
	case kStruct:
		return "*" + f.T.Name, "", true
	}
	return "", "", false
}

func accessor(b *bytes.Buffer, typeName, fieldName, ret, zero string) {
	if zero == "" {
		fmt.Fprintf(b, "// Get%s returns the %s field; nil when x is nil.\n", fieldName, fieldName)
		fmt.Fprintf(b, "func (x *%s) Get%s() %s {\nif x == nil {\nreturn nil\n}\nreturn x.%s\n}\n\n", typeName, fieldName, ret, fieldName)
		return
	}
	docZero := zero
	if zero == "time.Time{}" {
		docZero = "the zero time"
	}
	fmt.Fprintf(b, "// Get%s returns the %s field's value, or %s when x or the field is nil.\n", fieldName, fieldName, docZero)
	fmt.Fprintf(b, "func (x *%s) Get%s() %s {\nif x == nil || x.%s == nil {\nreturn %s\n}\nreturn *x.%s\n}\n\n", typeName, fieldName, ret, fieldName, zero, fieldName)
}
