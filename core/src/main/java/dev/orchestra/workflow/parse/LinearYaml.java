package dev.orchestra.workflow.parse;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * Jackson's YAML parser on a SnakeYAML reader that is linear in the length of a value.
 *
 * <p>SnakeYAML's {@link StreamReader} keeps a window of the text from the start of the token being
 * scanned and reads 1,024 characters at a time; each read copies the whole window. The scanner
 * measures a scalar by peeking ahead without moving the window's start, so a value of n characters
 * costs n²/2,048 copied code points: 4 MiB took 23 s, 16 MiB minutes (bench/yaml-bench.sh). The
 * workflow is in memory anyway, so {@link WholeText} holds all of its code points at once and
 * answers every peek in O(1), with the same positions, line counting, printable-character check and
 * document index (for {@link LoaderOptions#setCodePointLimit}) as SnakeYAML's reader.
 */
final class LinearYaml {
  private LinearYaml() {}

  /** A YAML factory whose parsers read through {@link WholeText}, with Jackson's given limits. */
  static YAMLFactory factory(LoaderOptions options, StreamReadConstraints limits) {
    return new Factory(YAMLFactory.builder().loaderOptions(options).streamReadConstraints(limits));
  }

  private static final class Factory extends YAMLFactory {
    private static final long serialVersionUID = 1L;

    Factory(YAMLFactoryBuilder builder) {
      super(builder);
    }

    @Override
    protected YAMLParser _createParser(Reader r, IOContext ctxt) throws IOException {
      return new Parser(
          ctxt,
          _parserFeatures,
          _yamlParserFeatures,
          _objectCodec,
          r,
          new ParserImpl(new WholeText(readAll(r)), _loaderOptions));
    }

    @Override
    protected YAMLParser _createParser(
        char[] data, int offset, int len, IOContext ctxt, boolean recyclable) throws IOException {
      return _createParser(new CharArrayReader(data, offset, len), ctxt);
    }

    private static String readAll(Reader r) throws IOException {
      StringWriter all = new StringWriter();
      r.transferTo(all);
      return all.toString();
    }
  }

  /**
   * Jackson's parser, built on a SnakeYAML parser of our choosing (its constructor is protected).
   */
  private static final class Parser extends YAMLParser {
    Parser(
        IOContext ctxt,
        int parserFeatures,
        int formatFeatures,
        ObjectCodec codec,
        Reader reader,
        ParserImpl yamlParser) {
      super(ctxt, parserFeatures, formatFeatures, codec, reader, yamlParser);
    }
  }

  /**
   * SnakeYAML's reader over a text held whole: the same answers as {@link StreamReader} (2.x), each
   * in O(1). A character that YAML does not allow is reported, as there, when the scanner reaches
   * it, but at its own index. Not thread-safe, like the reader it replaces.
   */
  static final class WholeText extends StreamReader {
    private static final String NAME = "'reader'";
    private final int[] codePoints;
    private final int firstUnprintable;
    private int pointer;
    private int index;
    private int documentIndex;
    private int line;
    private int column;

    WholeText(String text) {
      super("");
      this.codePoints = text.codePoints().toArray();
      int bad = codePoints.length;
      for (int i = 0; i < codePoints.length; i++) {
        if (!isPrintable(codePoints[i])) {
          bad = i;
          break;
        }
      }
      this.firstUnprintable = bad;
    }

    /** Whether the code point {@code ahead} of the current one exists; checks it is allowed. */
    private boolean available(int ahead) {
      int at = pointer + ahead;
      if (at >= firstUnprintable && firstUnprintable < codePoints.length) {
        throw new ReaderException(
            NAME,
            firstUnprintable,
            codePoints[firstUnprintable],
            "special characters are not allowed");
      }
      return at < codePoints.length;
    }

    @Override
    public Mark getMark() {
      return new Mark(NAME, index, line, column, codePoints, pointer);
    }

    @Override
    public void forward() {
      forward(1);
    }

    @Override
    public void forward(int length) {
      for (int i = 0; i < length && available(0); i++) {
        int c = codePoints[pointer++];
        index++;
        documentIndex++;
        if (Constant.LINEBR.has(c) || (c == '\r' && available(0) && codePoints[pointer] != '\n')) {
          line++;
          column = 0;
        } else if (c != 0xFEFF) {
          column++;
        }
      }
    }

    @Override
    public int peek() {
      return available(0) ? codePoints[pointer] : 0;
    }

    @Override
    public int peek(int ahead) {
      return available(ahead) ? codePoints[pointer + ahead] : 0;
    }

    @Override
    public String prefix(int length) {
      if (length == 0) {
        return "";
      }
      int count = available(length) ? length : Math.min(length, codePoints.length - pointer);
      return new String(codePoints, pointer, count);
    }

    @Override
    public String prefixForward(int length) {
      String prefix = prefix(length);
      // As in SnakeYAML: a prefix never holds a line break.
      pointer += length;
      index += length;
      documentIndex += length;
      column += length;
      return prefix;
    }

    @Override
    public int getColumn() {
      return column;
    }

    @Override
    public int getDocumentIndex() {
      return documentIndex;
    }

    @Override
    public void resetDocumentIndex() {
      documentIndex = 0;
    }

    @Override
    public int getIndex() {
      return index;
    }

    @Override
    public int getLine() {
      return line;
    }
  }
}
