package com.catvsnoncat.cli;

import com.catvsnoncat.model.DefaultModel;
import com.catvsnoncat.model.Model;
import com.catvsnoncat.model.ModelFile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model FILE}, defaulting to the model inside the jar. */
final class ModelOption {
    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "Model file (.npz); default: the model inside the jar.")
    Path file;

    Model load() {
        return file == null ? DefaultModel.load() : ModelFile.read(file);
    }
}
