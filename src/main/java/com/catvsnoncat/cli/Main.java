package com.catvsnoncat.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar catvsnoncat.jar [command]}; without a command it serves, like the original system. Its attributes
 * are inherited by the subcommands, the version provider among them, so {@code catvsnoncat train -V} says the version
 * too (it printed nothing).
 */
@Command(name = "catvsnoncat", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = "Cat / non-cat image classifier: train, evaluate, predict, serve, import.")
public final class Main implements Runnable {
    /**
     * The subcommands, registered in code rather than in the annotation: picocli reflects over every registered
     * command's options and mixins, which for all six cost about 0.05 s of every start, so a command line naming one
     * registers only that one (help and errors still see them all).
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();
    private static final String NETTY_JFR = "io.netty.jfr.enabled";

    public static void main(String[] args) {
        Timeline.mark("main");
        // Image decoding and encoding (serve, predict) need AWT but never a display.
        System.setProperty("java.awt.headless", "true");
        // Netty's buffer-allocation JFR events: while on, the first buffer a process allocates sets up JFR's event
        // metadata (some 140 classes, about 0.19 s of CPU on the serve start's path) for events no recording asks for
        // unless told to; one that wants them starts the JVM with -Dio.netty.jfr.enabled=true.
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
        String[] command = withDefaultCommand(args);
        Background<?> logging = null;
        if (command[0].equals("serve")) {
            // Logback's set-up (some 250 classes, about 0.1 s) on the second core while this one loads picocli and
            // the top-level command; it is joined before any subcommand class (with its logger) is loaded.
            logging = Background.start("logging-setup", LoggerFactory::getILoggerFactory);
        } else {
            // The other commands log nothing of their own (see StderrLogging); SLF4J's note that it took the
            // provider named here would be their only line on stderr.
            System.setProperty("slf4j.provider", StderrLogging.class.getName());
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        System.exit(run(logging, command));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        return run(null, args);
    }

    private static int run(Background<?> logging, String... args) {
        String[] command = withDefaultCommand(args);
        CommandLine commandLine = new CommandLine(new Main());
        // Commands hold static loggers: one asked for while SLF4J is still initialising on the other thread can be
        // a substitute that never gets its delegate and drops every line (seen: serve's "serving on" never printed).
        if (logging != null) {
            logging.join();
        }
        Supplier<Object> named = command.length > 0 ? SUBCOMMANDS.get(command[0]) : null;
        if (named != null) {
            commandLine.addSubcommand(command[0], named.get());
        } else {
            SUBCOMMANDS.forEach((name, subcommand) -> commandLine.addSubcommand(name, subcommand.get()));
        }
        Timeline.mark("command line ready");
        return commandLine.setExecutionExceptionHandler(new UserErrorHandler())
                .execute(command);
    }

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> subcommands = new LinkedHashMap<>();
        subcommands.put("serve", ServeCommand::new);
        subcommands.put("train", TrainCommand::new);
        subcommands.put("crossvalidate", CrossValidateCommand::new);
        subcommands.put("evaluate", EvaluateCommand::new);
        subcommands.put("predict", PredictCommand::new);
        subcommands.put("import", ImportCommand::new);
        return subcommands;
    }

    /** The arguments with "serve" in front when they name no command (none, or options of serve's). */
    private static String[] withDefaultCommand(String[] args) {
        if (args.length > 0 && (!args[0].startsWith("-") || isTopLevelOption(args[0]))) {
            return args;
        }
        String[] command = new String[args.length + 1];
        command[0] = "serve";
        System.arraycopy(args, 0, command, 1, args.length);
        return command;
    }

    private static boolean isTopLevelOption(String arg) {
        return arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version");
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
