import Testing
@testable import Notebook

@Suite struct JSONTextTests {
    @Test func keysAreSortedAndNumbersShortest() {
        let doc = JSONText.object(["b": .double(0.1), "a": .array([.int(1), .double(1e-7)]), "c": .string("q\"\n\u{01}é")])
        #expect(doc.serialized(indent: 0) == #"{"a":[1,1e-07],"b":0.1,"c":"q\"\n\u0001é"}"#)
        #expect(doc.serialized(indent: 1) == "{\n \"a\": [\n  1,\n  1e-07\n ],\n \"b\": 0.1,\n \"c\": \"q\\\"\\n\\u0001é\"\n}")
    }
}
