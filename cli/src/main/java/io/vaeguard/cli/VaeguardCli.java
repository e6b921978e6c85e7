package io.vaeguard.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vaeguard} command: one sub-command per verb. */
@Command(
    name = "vaeguard",
    mixinStandardHelpOptions = true,
    versionProvider = VaeguardCli.Version.class,
    description = {
      "Anomaly detection with a variational autoencoder in ONNX Runtime, offline and on Flink + Kafka.",
      ""
    },
    subcommands = {
      DemoCommand.class,
      TrainCommand.class,
      ScoreCommand.class,
      EvaluateCommand.class,
      OptimizeCommand.class,
      SynthCommand.class,
      RunCommand.class,
      KafkaCommand.class,
      GenerateCommand.class,
      AlertsCommand.class,
      ClusterCommand.class,
      SubmitCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {"", "Run 'vaeguard help VERB' or 'vaeguard VERB --help' for a verb's options."})
public final class VaeguardCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line, shared by main() and the tests. */
  public static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new VaeguardCli());
    cl.setExecutionExceptionHandler(VaeguardCli::handle);
    cl.setParameterExceptionHandler(VaeguardCli::handleParameter);
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * A flag the command line cannot take (unknown, missing, not a number) is a user's mistake too:
   * one line that names it and where the help is, instead of picocli's full usage text.
   */
  private static int handleParameter(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    StringBuilder line =
        new StringBuilder(cl.getCommandName()).append(": ").append(oneLine(e.getMessage()));
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
      line.append(" (did you mean ").append(String.join(" or ", u.getSuggestions())).append("?)");
    }
    line.append("; see '").append(cl.getCommandSpec().qualifiedName()).append(" --help'");
    cl.getErr().println(line);
    return cl.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * A user's mistake (bad file, bad value) is one line naming the problem and exit code 2, no stack
   * trace; anything else is a bug and keeps its stack trace (exit 1).
   */
  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    String verb =
        cl.getCommandSpec().qualifiedName(" ").replaceFirst("^vaeguard ", ""); // "kafka start"
    if (e instanceof IllegalArgumentException
        || e instanceof UncheckedIOException
        || e instanceof UserError) {
      err.println(verb + ": " + oneLine(userMessage(e)));
      return 2;
    }
    if (e instanceof NoSuchFileException nsf) {
      err.println(verb + ": no such file: " + nsf.getFile());
      return 2;
    }
    err.println(verb + ": unexpected error, please report it with the trace below");
    e.printStackTrace(err);
    return 1;
  }

  private static String userMessage(Exception e) {
    String m = e.getMessage();
    if (e instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException nsf) {
      return "no such file: " + nsf.getFile();
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /** Messages from libraries may span lines; the contract is one line per user error. */
  private static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /** Version from the jar manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = VaeguardCli.class.getPackage().getImplementationVersion();
      return new String[] {"vaeguard " + (v == null ? "dev" : v)};
    }
  }
}
