package com.catvsnoncat.cli;

import com.catvsnoncat.model.Model;
import com.catvsnoncat.model.ModelFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code import parameters.npz -o model.npz}: the original system's model file (a numpy pickle, read without
 * unpickling) written as our own model format, with its metadata and content hash. Every command also takes the
 * original file directly; importing makes a file that numpy opens with {@code allow_pickle=False}.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Converts the original system's parameters.npz (a pickled dict of arrays, read safely) "
                + "to this program's model format.")
public final class ImportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The original system's parameters.npz.")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "model.npz",
            description = "Where to write the model (default: ${DEFAULT-VALUE}).")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Model model = ModelFile.read(input);
        ModelFile.write(output, model);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("read %s: layers %s%s%n", input, Arrays.toString(model.network().layerSizes()),
                model.metadata().imported().map(from -> ", sha256 " + from.getString("sha256")).orElse(""));
        out.printf("wrote %s%n", output);
        out.flush();
        return 0;
    }
}
