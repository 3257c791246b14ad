package com.catvsnoncat.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A picture of flat colours for {@link CostPlot}: rectangles, one-pixel lines and text in a built-in 5x8 bitmap
 * font drawn in whole-pixel blocks, encoded by {@link PngEncoder}. It knows the characters a cost plot needs (digits,
 * {@code . , -}, and the letters of its labels); any other is refused, since the labels are the plot's own.
 */
final class PlotCanvas {
    /** Characters of the font, in the order of {@link #GLYPHS}. */
    private static final String CHARACTERS = "0123456789.,- Cacdegilnoprstvy";
    /** Eight rows of five pixels a glyph ('#' set); rows 0-6 stand on the baseline, row 7 is for descenders. */
    private static final String[] GLYPHS = {
        ".###. #...# #..## #.#.# ##..# #...# .###. .....",
        "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###. .....",
        ".###. #...# ....# ...#. ..#.. .#... ##### .....",
        "##### ...#. ..#.. ...#. ....# #...# .###. .....",
        "...#. ..##. .#.#. #..#. ##### ...#. ...#. .....",
        "##### #.... ####. ....# ....# #...# .###. .....",
        "..##. .#... #.... ####. #...# #...# .###. .....",
        "##### ....# ...#. ..#.. .#... .#... .#... .....",
        ".###. #...# #...# .###. #...# #...# .###. .....",
        ".###. #...# #...# .#### ....# ...#. .##.. .....",
        "..... ..... ..... ..... ..... .##.. .##.. .....",
        "..... ..... ..... ..... ..... .##.. ..#.. .#...",
        "..... ..... ..... .###. ..... ..... ..... .....",
        "..... ..... ..... ..... ..... ..... ..... .....",
        ".###. #...# #.... #.... #.... #...# .###. .....",
        "..... ..... .###. ....# .#### #...# .#### .....",
        "..... ..... .###. #.... #.... #...# .###. .....",
        "....# ....# .##.# #..## #...# #...# .#### .....",
        "..... ..... .###. #...# ##### #.... .###. .....",
        "..... ..... .#### #...# #...# .#### ....# .###.",
        "..#.. ..... .##.. ..#.. ..#.. ..#.. .###. .....",
        ".##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###. .....",
        "..... ..... #.##. ##..# #...# #...# #...# .....",
        "..... ..... .###. #...# #...# #...# .###. .....",
        "..... ..... ####. #...# #...# ####. #.... #....",
        "..... ..... #.##. ##..# #.... #.... #.... .....",
        "..... ..... .#### #.... .###. ....# ####. .....",
        ".#... .#... ###.. .#... .#... .#..# ..##. .....",
        "..... ..... #...# #...# #...# .#.#. ..#.. .....",
        "..... ..... #...# #...# #...# .#### ....# .###.",
    };
    static final int GLYPH_WIDTH = 5;
    static final int GLYPH_HEIGHT = 8;
    /** Glyph and the space after it. */
    static final int ADVANCE = GLYPH_WIDTH + 1;

    private final int width;
    private final int height;
    private final int[] pixels;

    PlotCanvas(int width, int height, int background) {
        this.width = width;
        this.height = height;
        pixels = new int[width * height];
        Arrays.fill(pixels, background);
    }

    void fill(int x0, int y0, int x1, int y1, int colour) {
        for (int y = Math.max(0, y0); y < Math.min(height, y1); y++) {
            Arrays.fill(pixels, y * width + Math.max(0, x0), y * width + Math.min(width, x1), colour);
        }
    }

    /** A one-pixel line from (x0, y0) to (x1, y1), both ends included (Bresenham). */
    void line(int x0, int y0, int x1, int y1, int colour) {
        int dx = Math.abs(x1 - x0);
        int dy = -Math.abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1;
        int sy = y0 < y1 ? 1 : -1;
        int error = dx + dy;
        int x = x0;
        int y = y0;
        while (true) {
            set(x, y, colour);
            if (x == x1 && y == y1) {
                return;
            }
            int twice = 2 * error;
            if (twice >= dy) {
                error += dy;
                x += sx;
            }
            if (twice <= dx) {
                error += dx;
                y += sy;
            }
        }
    }

    /** Text whose top left corner is at (x, y), each font pixel a block of scale x scale. */
    void text(String text, int x, int y, int scale, int colour) {
        forEachGlyphPixel(text, scale, (along, across) ->
                fill(x + along, y + across, x + along + scale, y + across + scale, colour));
    }

    /** Text read upwards (turned a quarter left), its left edge at x and its last character's end at y. */
    void textUpwards(String text, int x, int y, int scale, int colour) {
        forEachGlyphPixel(text, scale, (along, across) ->
                fill(x + across, y - along - scale, x + across + scale, y - along, colour));
    }

    /** Where a font pixel of the text goes, in canvas pixels along the line of text and across it. */
    private interface GlyphPixel {
        void at(int along, int across);
    }

    private static void forEachGlyphPixel(String text, int scale, GlyphPixel pixel) {
        for (int i = 0; i < text.length(); i++) {
            String[] rows = glyph(text.charAt(i));
            for (int row = 0; row < GLYPH_HEIGHT; row++) {
                for (int column = 0; column < GLYPH_WIDTH; column++) {
                    if (rows[row].charAt(column) == '#') {
                        pixel.at((i * ADVANCE + column) * scale, row * scale);
                    }
                }
            }
        }
    }

    static int textWidth(String text, int scale) {
        return text.isEmpty() ? 0 : (text.length() * ADVANCE - 1) * scale;
    }

    void writePng(OutputStream out) throws IOException {
        PngEncoder.write(width, height, pixels, out);
    }

    private void set(int x, int y, int colour) {
        if (x >= 0 && x < width && y >= 0 && y < height) {
            pixels[y * width + x] = colour;
        }
    }

    private static String[] glyph(char character) {
        int index = CHARACTERS.indexOf(character);
        if (index < 0) {
            throw new IllegalArgumentException("no glyph for '" + character + "'");
        }
        return GLYPHS[index].split(" ");
    }
}
