package dev.neurite.standard;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.neurite.check.Check;
import dev.neurite.check.ComponentVerifier;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.ComponentType;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code ./neurite plugins verify} over every component the standard plugin registers, configured
 * by its {@code @Example}: whatever is added to the plugin is held to the contract of its kind.
 */
class EveryComponentVerifiesTest {
  private static final Set<ComponentKind<?>> WITH_CONTRACT =
      Set.of(ComponentKind.LAYER, ComponentKind.LOSS, ComponentKind.OPTIMIZER, ComponentKind.REGULARIZER);

  @TestFactory
  Stream<DynamicTest> everyComponentPassesItsContract() {
    ComponentRegistry registry = ComponentRegistry.of(List.of(new StandardPlugin()));
    return registry.all().stream().filter(t -> WITH_CONTRACT.contains(t.kind())).map(type -> dynamicTest(
        type.kind() + " " + type.name(), () -> check(ComponentVerifier.verify(registry, type), type)));
  }

  /** The kinds without a contract yet: their {@code @Example} (what {@code plugins describe} shows) must still build. */
  @TestFactory
  Stream<DynamicTest> everyOtherComponentBuildsFromItsExample() {
    ComponentRegistry registry = ComponentRegistry.of(List.of(new StandardPlugin()));
    return registry.all().stream().filter(t -> !WITH_CONTRACT.contains(t.kind())).map(type -> dynamicTest(
        type.kind() + " " + type.name(), () -> {
          ComponentVerifier.Verdict verdict = ComponentVerifier.verify(registry, type);
          for (Check.Outcome o : verdict.outcomes()) {
            o.failure().ifPresent(f -> {
              throw new AssertionError(type.name() + ": " + o.name() + ": " + f);
            });
          }
          if (!verdict.note().startsWith("no contract for ")) throw new AssertionError(type.name() + ": " + verdict.note());
        }));
  }

  private static void check(ComponentVerifier.Verdict verdict, ComponentType<?> type) {
    if (!verdict.note().isEmpty()) throw new AssertionError(type.name() + " was not verified: " + verdict.note());
    for (Check.Outcome o : verdict.outcomes()) {
      o.failure().ifPresent(f -> {
        throw new AssertionError(type.name() + ": " + o.name() + ": " + f);
      });
    }
  }
}
