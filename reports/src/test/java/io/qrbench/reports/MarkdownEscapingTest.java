package io.qrbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.qrbench.result.CaseResult;
import io.qrbench.result.CaseStatus;
import io.qrbench.result.CheckResult;
import io.qrbench.result.Metrics;
import io.qrbench.result.ModelResult;
import io.qrbench.result.Outcomes;
import io.qrbench.result.RunResult;
import io.qrbench.result.RunStatus;
import io.qrbench.result.SuiteInfo;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * summary.md read back by a CommonMark parser with GitHub's tables and autolinks: whatever the
 * names, the summary's structure is its own and every name reads back as it was.
 */
class MarkdownEscapingTest {
  private static final List<String> HOSTILE =
      List.of(
          "[click](javascript:alert(1))",
          "![x](http://evil.example/x.png)",
          "<img src=x onerror=alert(1)>",
          "<b>bold</b>",
          "a|b||c |",
          "**bold** _it_ ~~gone~~ $x^2$",
          "see https://evil.example/p?q=1 now",
          "www.evil.example",
          "mail me@evil.example",
          "@octocat and #123",
          "`code` and ``two``",
          "# not a heading",
          "- not a list",
          "+ nor this",
          "1. not a list",
          "2) nor this",
          "> not a quote",
          "&#106;avascript:alert(1) &lt;",
          "back\\slash\\",
          "line\nbreak\rand\ttab",
          "commit deadbeef1",
          "<https://evil.example>",
          "[ref]: https://evil.example",
          "pgd@FP",
          "gaussian-c");

  /**
   * What GitHub would link in plain text: a URL, www., an e-mail address, a mention, an issue, a
   * commit.
   */
  private static final Pattern LINKABLE =
      Pattern.compile(
          "(?i)://|www\\.|@[a-z0-9-]+\\.[a-z]"
              + "|(^|[^a-z0-9_])[@#][a-z0-9]|(^|[^a-z0-9_])(?=[0-9]*[a-f])[0-9a-f]{7,40}($|[^a-z0-9_])");

  private static final Set<String> OUR_BOLD = Set.of("Status:", "Data:", "Models:", "Checks:");

  private static String plain(String s) {
    return s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
  }

  private static CaseResult result(
      String model, String pert, String id, String level, boolean right) {
    int n = 64;
    BitSet b = new BitSet(n);
    if (right) {
      b.set(0, n);
    }
    Metrics m =
        new Metrics(
            n,
            right ? 100 : 0,
            100,
            right ? n : 0,
            n,
            0.01,
            2.55,
            0.5,
            0.02,
            1.25,
            6.4,
            Outcomes.of(b),
            id.equals("minimal") ? Map.of("fooled", 0.5) : Map.of());
    return new CaseResult(
        model + "/" + pert + "[" + level + "]",
        model,
        pert,
        id,
        Fixtures.level(level),
        new LinkedHashMap<>(),
        CaseStatus.OK,
        null,
        m);
  }

  /**
   * Every hostile string as a model, a perturbation, a level, a check, the suite's name and
   * description.
   */
  private static RunResult hostileRun() {
    List<CaseResult> cases = new ArrayList<>();
    List<ModelResult> records = new ArrayList<>();
    for (int i = 0; i < HOSTILE.size(); i++) {
      String model = HOSTILE.get(i);
      records.add(
          new ModelResult(
              model,
              "m",
              Map.of(),
              HOSTILE.get((i + 5) % HOSTILE.size()),
              Map.of(),
              "w",
              1,
              null,
              null,
              null));
      for (int j = 0; j < HOSTILE.size(); j++) {
        cases.add(
            result(
                model,
                HOSTILE.get(j),
                j == 3 ? "minimal" : "fgsm",
                HOSTILE.get((j + 1) % HOSTILE.size()),
                i == 0));
      }
    }
    List<CheckResult> checks =
        HOSTILE.stream().map(h -> new CheckResult(h, false, 1.0, 2.0, h)).toList();
    SuiteInfo suite =
        new SuiteInfo(
            HOSTILE.get(0),
            String.join(" ", HOSTILE),
            "s.yaml",
            1,
            null,
            HOSTILE.get(2),
            HOSTILE.get(9),
            64,
            "fp",
            "",
            "def",
            Map.of());
    return new RunResult(
        RunResult.SCHEMA,
        suite,
        null,
        RunStatus.COMPLETE,
        "t0",
        "t1",
        1,
        records,
        cases,
        checks,
        List.of());
  }

  private static String text(Node n) {
    StringBuilder b = new StringBuilder();
    text(n, b);
    return b.toString();
  }

  /** The text a reader sees: literals of text and code, line breaks as spaces. */
  private static void text(Node n, StringBuilder b) {
    if (n instanceof Text t) {
      b.append(t.getLiteral());
    } else if (n instanceof Code c) {
      b.append(c.getLiteral());
    } else if (n instanceof SoftLineBreak) {
      b.append(' ');
    }
    for (Node c = n.getFirstChild(); c != null; c = c.getNext()) {
      text(c, b);
    }
  }

  /** The text outside code spans, where GitHub links what looks like a link. */
  private static void outsideCode(Node n, StringBuilder b) {
    if (n instanceof Text t) {
      b.append(t.getLiteral());
    } else if (n instanceof Code) {
      b.append('\u0000');
    }
    for (Node c = n.getFirstChild(); c != null; c = c.getNext()) {
      outsideCode(c, b);
    }
  }

  private static List<Node> all(Node root) {
    List<Node> out = new ArrayList<>();
    for (Node c = root.getFirstChild(); c != null; c = c.getNext()) {
      out.add(c);
      out.addAll(all(c));
    }
    return out;
  }

  @Test
  void namesNeverBecomeLinksImagesHtmlOrMarkupAndReadBackAsTheyWere() {
    String md = MarkdownReportWriter.render(hostileRun());
    Node doc =
        Parser.builder()
            .extensions(List.of(TablesExtension.create(), AutolinkExtension.create()))
            .build()
            .parse(md);
    List<Node> nodes = all(doc);
    for (Node n : nodes) {
      if (n instanceof Link
          || n instanceof Image
          || n instanceof HtmlBlock
          || n instanceof LinkReferenceDefinition
          || n instanceof Emphasis
          || n instanceof OrderedList
          || n instanceof BlockQuote
          || n instanceof IndentedCodeBlock
          || (n instanceof ThematicBreak && n != doc.getLastChild().getPrevious())) {
        fail(n + " in " + text(n.getParent()));
      }
      if (n instanceof HtmlInline h) {
        assertTrue(
            Set.of("<sub>", "</sub>").contains(h.getLiteral()),
            "only the footer's own HTML: " + h.getLiteral());
      }
      if (n instanceof StrongEmphasis) {
        assertTrue(OUR_BOLD.contains(text(n)), "only the summary's own bold: " + text(n));
      }
      if (n instanceof Paragraph || n instanceof Heading || n instanceof TableCell) {
        StringBuilder b = new StringBuilder();
        outsideCode(n, b);
        assertFalse(LINKABLE.matcher(b).find(), "GitHub would link a word of '" + b + "'");
      }
    }

    List<Heading> headings =
        nodes.stream().filter(Heading.class::isInstance).map(Heading.class::cast).toList();
    assertEquals("\u274c qrbench: " + HOSTILE.get(0), text(headings.get(0)));
    for (int i = 1; i < HOSTILE.size(); i++) {
      String model = plain(HOSTILE.get(i));
      assertTrue(
          headings.stream()
              .anyMatch(
                  h ->
                      text(h)
                          .equals(
                              "Is "
                                  + model
                                  + "\u2019s accuracy different from "
                                  + HOSTILE.get(0)
                                  + "\u2019s?")),
          "heading of model " + model);
    }
    Paragraph description = (Paragraph) headings.get(0).getNext();
    assertEquals(plain(String.join(" ", HOSTILE)), text(description));

    List<TableBlock> tables =
        nodes.stream().filter(TableBlock.class::isInstance).map(TableBlock.class::cast).toList();
    assertEquals(3, tables.size(), "accuracy, minimal perturbation, checks");
    for (TableBlock t : tables) {
      List<List<String>> rows =
          all(t).stream()
              .filter(TableRow.class::isInstance)
              .map(
                  r ->
                      all(r).stream()
                          .filter(TableCell.class::isInstance)
                          .map(MarkdownEscapingTest::text)
                          .toList())
              .toList();
      rows.forEach(r -> assertEquals(rows.get(0).size(), r.size(), "a name split a row: " + r));
    }
    List<List<String>> accuracy =
        all(tables.get(0)).stream()
            .filter(TableRow.class::isInstance)
            .map(
                r ->
                    all(r).stream()
                        .filter(TableCell.class::isInstance)
                        .map(MarkdownEscapingTest::text)
                        .toList())
            .toList();
    assertEquals(
        HOSTILE.stream().map(MarkdownEscapingTest::plain).toList(),
        accuracy.get(0).subList(2, accuracy.get(0).size()),
        "model names in the header");
    for (int j = 0; j < HOSTILE.size(); j++) {
      int row = j;
      assertTrue(
          accuracy.stream()
              .anyMatch(
                  r ->
                      r.get(0).equals(plain(HOSTILE.get(row)))
                          && r.get(1).equals(plain(HOSTILE.get((row + 1) % HOSTILE.size())))),
          "perturbation and level of " + j);
    }
    List<List<String>> checks =
        all(tables.get(2)).stream()
            .filter(TableRow.class::isInstance)
            .map(
                r ->
                    all(r).stream()
                        .filter(TableCell.class::isInstance)
                        .map(MarkdownEscapingTest::text)
                        .toList())
            .toList();
    for (int j = 0; j < HOSTILE.size(); j++) {
      assertEquals(
          List.of("\u274c", plain(HOSTILE.get(j)), plain(HOSTILE.get(j))), checks.get(j + 1));
    }

    List<String> items =
        nodes.stream().filter(ListItem.class::isInstance).map(MarkdownEscapingTest::text).toList();
    assertFalse(items.isEmpty(), "the largest differences are listed");
    assertTrue(
        nodes.stream()
            .filter(BulletList.class::isInstance)
            .allMatch(l -> text(l.getPrevious()).startsWith("Largest significant differences")),
        "the only lists are the summary's own");
    for (String item : items) {
      assertTrue(HOSTILE.stream().anyMatch(h -> item.startsWith(plain(h) + " ")), item);
    }
  }

  @Test
  void plainNamesStayPlain() {
    assertEquals("gaussian-c", Markdown.cell("gaussian-c"));
    assertEquals("severity=5", Markdown.cell("severity=5"));
    assertEquals("pgd@FP", Markdown.inline("pgd@FP"));
    assertEquals("resnet20\\_fp", Markdown.inline("resnet20_fp"));
    assertEquals("\\- x", Markdown.inline("- x"));
    assertEquals("a - x", Markdown.inline("a - x"), "not at a line's start: no list");
    assertEquals("1\\. x", Markdown.inline("1. x"));
    assertEquals("`a|b@c.de`", Markdown.inline("a|b@c.de"));
    assertEquals(
        "`a\\|b@c.de`",
        Markdown.cell("a|b@c.de"),
        "GFM reads \\| as | inside a code span in a table");
    assertEquals("`` `x@y.z` ``", Markdown.cell("`x@y.z`"));
  }
}
