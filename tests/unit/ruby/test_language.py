"""The Ruby that profiles use, evaluated with Ruby's semantics (each value is what Ruby gives)."""

from __future__ import annotations

import pytest

from inspecpy.ruby.runtime import RubyUnsupported
from inspecpy.ruby.values import RubyError, Symbol


@pytest.mark.parametrize("code, expected", [
    ("1 + 2 * 3", 7),
    ("7 / 2", 3),
    ("-7 / 2", -4),
    ("7.0 / 2", 3.5),
    ("2 ** 10", 1024),
    ("0o17 + 0x10 + 0b11 + 1_000", 15 + 16 + 3 + 1000),
    ("'a' + 'b'", "ab"),
    ("x = 'w'; \"a#{x}b#{1 + 1}\"", "awb2"),
    ("'it\\'s'", "it's"),
    ('"tab\\there"', "tab\there"),
    ("%w[a b c]", ["a", "b", "c"]),
    ("%i[a b]", [Symbol("a"), Symbol("b")]),
    ("{ a: 1, 'b' => 2 }", {Symbol("a"): 1, "b": 2}),
    ("[1, 2, 3].map { |x| x * 2 }", [2, 4, 6]),
    ("[1, 2, 3].select(&:odd?)", [1, 3]),
    ("[3, 1, 2].sort.reverse.first", 3),
    ("[1, [2, 3]].flatten.count", 3),
    ("%w[a b a].uniq.join(',')", "a,b"),
    ("'a b  c'.split", ["a", "b", "c"]),
    ("'a:b::'.split(':')", ["a", "b"]),
    ("'a:b::'.split(':', -1)", ["a", "b", "", ""]),
    ("\"l1\\r\\nl2\\n\".split(/\\r?\\n/)", ["l1", "l2"]),
    ("''.split(/\\r?\\n/)", []),
    ("'9.2p1,'.to_f", 9.2),
    ("'12abc'.to_i", 12),
    ("'  x '.strip.empty?", False),
    ("nil.to_s + 'x'", "x"),
    ("[1, 2, 3].include?(2) && !nil", True),
    ("0 ? 'truthy' : 'falsy'", "truthy"),
    ("'' ? 'truthy' : 'falsy'", "truthy"),
    ("x = nil; x ||= 5; x", 5),
    ("a, b = 1, 2; [b, a]", [2, 1]),
    ("(1..4).to_a", [1, 2, 3, 4]),
    ("(1...4).include?(4)", False),
    ("[1, 2, 3, 4].each_with_index.map { |x, i| x * i }", [0, 2, 6, 12]),
    ("{ 'a' => 1, 'b' => 2 }.map { |k, v| \"#{k}=#{v}\" }", ["a=1", "b=2"]),
    ("{ 'a' => 1 }.key?('a')", True),
    ("[[1, 2], [3, 4]].to_h", {1: 2, 3: 4}),
    ("format('%s-%05.1f-%d', 'x', 2.25, 7)", "x-002.2-7"),
    ("'%s and %s' % ['a', 'b']", "a and b"),
    ("'v=%<v>s' % { v: 3 }", "v=3"),
    ("[1, 2] & [2, 3]", [2]),
    ("[1, 2] - [2]", [1]),
    ("'abc' =~ /b/", 1),
    ("'abc' =~ /z/", None),
    ("'key=val' =~ /(\\w+)=(\\w+)/; $2", "val"),
    ("'a1b2'.gsub(/\\d/, '#')", "a#b#"),
    ("'a-b'.sub('-', '+')", "a+b"),
    ("'ab'.start_with?('a', 'z')", True),
    ("'Hello'.match(/(?<first>H)/)[:first]", "H"),
    ("[1, nil, 2].compact.sum", 3),
    ("[5, 3, 9].max_by { |x| -x }", 3),
    ("[1, 2, 3].inject(:+)", 6),
    ("[1, 2, 3].reduce(10) { |sum, x| sum + x }", 16),
    ("%w[b a].sort_by { |x| x }", ["a", "b"]),
    ("[1, 2, 3].any? { |x| x > 2 } && [1, 2].all?(Integer)", True),
    ("%w[x y].each_with_object({}) { |k, h| h[k] = k.upcase }", {"x": "X", "y": "Y"}),
    ("1.nil? || nil.nil?", True),
    ("[1, 2].empty? ? 1 : [].empty?", True),
    ("'x'.is_a?(String) && 1.is_a?(Integer) && !1.is_a?(String)", True),
])
def test_expressions(ruby, code, expected):
    assert ruby(code) == expected


def test_control_flow_and_methods(ruby):
    code = """
    def grade(score)
      return 'none' if score.nil?
      case score
      when 90..100 then 'A'
      when 80...90 then 'B'
      when Integer then 'C'
      else 'other'
      end
    end
    out = []
    [95, 85, 10, nil, 'x'].each do |s|
      next if s == 10
      out << grade(s)
    end
    i = 0
    i += 1 while i < 5
    out << i
    found = [1, 2, 3, 4].each { |x| break x * 10 if x == 3 }
    out << found
    unless out.empty?
      out << 'end'
    end
    out
    """
    assert ruby(code) == ["A", "B", "none", "other", 5, 30, "end"]


def test_lambdas_procs_and_yield(ruby):
    code = """
    double = ->(x) { x * 2 }
    add = lambda { |a, b| a + b }
    def twice
      yield(1) + yield(2)
    end
    [double.call(4), add.(1, 2), twice { |v| v * 10 }, double[5]]
    """
    assert ruby(code) == [8, 3, 30, 10]


def test_heredocs(ruby):
    code = 'name = "x"\ntext = <<~EOS\n  line #{name}\n    indented\nEOS\ntext'
    assert ruby(code) == "line x\n  indented\n"
    assert ruby("t = <<-EOS\n  keep\n  EOS\nt") == "  keep\n"


def test_begin_rescue_ensure(ruby):
    code = """
    log = []
    value = begin
      nil.upcase
    rescue NoMethodError => e
      log << e.class.to_s
      'rescued'
    ensure
      log << 'ensure'
    end
    other = (Integer('x') rescue -1)
    [value, other, log]
    """
    assert ruby(code) == ["rescued", -1, ["NoMethodError", "ensure"]]


def test_raise_carries_class_and_message(ruby):
    with pytest.raises(RubyError) as error:
        ruby("raise ArgumentError, 'bad value'")
    assert (error.value.ruby_class, error.value.message) == ("ArgumentError", "bad value")
    with pytest.raises(RubyError, match="boom"):
        ruby("raise 'boom'")


def test_classes_with_readers_and_class_methods(ruby):
    code = """
    class Point
      attr_reader :x, :y
      def initialize(x, y = 0)
        @x = x
        @y = y
      end
      def self.origin
        new(0)
      end
      def norm2
        x * x + y * y
      end
    end
    [Point.new(3, 4).norm2, Point.origin.x, Point.new(1).is_a?(Point)]
    """
    assert ruby(code) == [25, 0, True]


def test_unsupported_constructs_name_themselves(ruby):
    with pytest.raises(RubyUnsupported, match=r"Ruby `ObjectSpace` at snippet.rb:2 is not supported"):
        ruby("x = 1\nObjectSpace.each_object(String) { }")
    with pytest.raises(RubyUnsupported, match="backtick command"):
        ruby("`ls`")
    with pytest.raises(RubyUnsupported, match="`eval`"):
        ruby("eval('1')")


def test_undefined_names_are_ruby_name_errors(ruby):
    with pytest.raises(RubyError, match="undefined local variable or method `nope'"):
        ruby("nope")
    with pytest.raises(RubyError, match="undefined method `bogus' for nil"):
        ruby("nil.bogus")


def test_grep_and_any_use_case_equality_like_case_when(ruby):
    """``grep``/``grep_v``/``any?(pattern)`` test with ``===``, as ``case … when`` does: a lambda is called."""
    assert ruby("[1, 2, 3, 4].grep(->(x) { x.even? })") == [2, 4]
    assert ruby("[1, 2, 3, 4].grep_v(->(x) { x.even? })") == [1, 3]
    assert ruby("[1, 3].any?(->(x) { x > 2 })") is True
    assert ruby("case 4 when ->(x) { x.even? } then 'even' else 'odd' end") == "even"
    assert ruby("['ab', 1, 'cd'].grep(/b/)") == ["ab"]
    assert ruby("[1, 5, 'x'].grep(1..3)") == [1]
    assert ruby("[1, 'x', :y].grep(String)") == ["x"]
