package com.catvsnoncat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of terraform/ offline: formatting (with terraform, when installed) and that every module is
 * pinned. {@code terraform init} downloads providers and modules, so validate runs in the CI workflow only.
 */
class TerraformTest {
    private static final Path DIR = Project.path("terraform");

    @Test
    void filesAreFormattedAsTerraformFmtWants() throws Exception {
        Process process;
        try {
            process = new ProcessBuilder("terraform", "fmt", "-check", "-recursive", "-diff", "-no-color")
                    .directory(DIR.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("terraform is not installed; terraform fmt -check runs in the CI workflow");
            return;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("terraform fmt finished").isTrue();

        assertThat(process.exitValue()).as("terraform fmt -check -recursive:\n%s", output).isZero();
    }

    @Test
    void everyModuleComesFromTheRegistryWithAVersionConstraint() throws IOException {
        Pattern module = Pattern.compile("module \"([\\w-]+)\" \\{\\s*source\\s*=\\s*\"([^\"]+)\"\\s*version\\s*="
                + "\\s*\"([^\"]+)\"");
        Pattern anyModule = Pattern.compile("^module \"", Pattern.MULTILINE);
        int modules = 0;
        int pinned = 0;
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".tf")).toList()) {
                String text = Files.readString(file);
                modules += (int) anyModule.matcher(text).results().count();
                Matcher matcher = module.matcher(text);
                while (matcher.find()) {
                    assertThat(matcher.group(2)).as("source of module %s", matcher.group(1))
                            .startsWith("terraform-aws-modules/");
                    assertThat(matcher.group(3)).as("version of module %s", matcher.group(1)).startsWith("~> ");
                    pinned++;
                }
            }
        }
        assertThat(modules).isPositive();
        assertThat(pinned).as("modules with source then version").isEqualTo(modules);
    }

    @Test
    void defaultsToTheOriginalsRegion() throws IOException {
        assertThat(OverlayChecks.terraformDefault("region")).isEqualTo("ap-northeast-2");
    }
}
