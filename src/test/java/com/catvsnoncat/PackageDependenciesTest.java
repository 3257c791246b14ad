package com.catvsnoncat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every package says in its package-info what it is for and which packages it may use; the imports of its classes
 * keep to that list, so the graph the package-infos draw (cli -> app -> gateway -> services -> model -> nn -> data)
 * is the one the code has.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of(System.getProperty("basedir", ""))
            .resolve("src/main/java/com/catvsnoncat").toAbsolutePath().normalize();
    private static final Pattern MAY_USE = Pattern.compile("<p>May use: ([^.]*)\\.");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?com\\.catvsnoncat\\.(\\w+)\\.",
            Pattern.MULTILINE);

    static Stream<String> packages() throws IOException {
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            return dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("packages")
    void importsOnlyThePackagesItsPackageInfoAllows(String name) throws IOException {
        Path info = SOURCES.resolve(name).resolve("package-info.java");
        assertThat(info).as("package-info of %s", name).exists();
        Matcher allowed = MAY_USE.matcher(Files.readString(info).replaceAll("\\s*\\n\\s*\\*\\s*", " "));
        assertThat(allowed.find()).as("a \"<p>May use: ...\" line in %s", info).isTrue();
        Set<String> mayUse = allowed.group(1).startsWith("nothing") ? Set.of()
                : Arrays.stream(allowed.group(1).replaceAll("\\(.*", "").split(","))
                        .map(String::strip).collect(Collectors.toSet());

        assertThat(usedPackages(name)).as("packages %s imports", name).isSubsetOf(mayUse);
    }

    private static Set<String> usedPackages(String name) throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(SOURCES.resolve(name))) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                Matcher imports = IMPORT.matcher(read(file));
                while (imports.find()) {
                    used.add(imports.group(1));
                }
            });
        }
        used.remove(name);
        return used;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
