package dev.parley.server.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public API is every package without {@code internal} in its name (docs/embedding.md). A
 * host sees only public types' public and protected signatures, so none of them may name an
 * internal type; the core stays free of Netty so that a host can bring its own transport; and
 * chat-client needs neither the core nor the server.
 */
class PublicApiTest {
  private static JavaClasses parley;

  @BeforeAll
  static void importMainClasses() {
    // no DO_NOT_INCLUDE_JARS: in a full reactor build chat-core and chat-protocol reach this
    // module as jars, and leaving them out would leave the rules nothing to check
    parley = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.parley");
  }

  @Test
  void theRulesSeeEveryModule() {
    assertThat(parley.contain("dev.parley.core.ChatEngine")).isTrue();
    assertThat(parley.contain("dev.parley.protocol.frame.FrameCodec")).isTrue();
    assertThat(parley.contain("dev.parley.server.ChatServer")).isTrue();
    assertThat(parley.contain("dev.parley.client.ChatClient")).isTrue();
  }

  @Test
  void publicSignaturesNameNoInternalType() {
    classes().that().resideOutsideOfPackage("..internal..").and(visibleToHosts())
        .should(exposeNoInternalType())
        .check(parley);
  }

  @Test
  void coreDoesNotDependOnNetty() {
    noClasses().that().resideInAPackage("dev.parley.core..")
        .should().dependOnClassesThat().resideInAPackage("io.netty..")
        .check(parley);
  }

  @Test
  void theServerUsesOnlyTheCorePublicApi() {
    // chat-server is a transport like any host's: what it needs from the engine, a host may need too
    noClasses().that().resideInAPackage("dev.parley.server..")
        .should().dependOnClassesThat().resideInAPackage("dev.parley.core..internal..")
        .check(parley);
  }

  @Test
  void theClientNeedsOnlyTheProtocolAndNetty() {
    // chat-client ships to applications that talk to a server, not to ones that run the engine
    noClasses().that().resideInAPackage("dev.parley.client..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.parley.core..", "dev.parley.server..")
        .check(parley);
  }

  @Test
  void nobodyOutsideTheClientUsesItsInternals() {
    noClasses().that().resideOutsideOfPackage("dev.parley.client..")
        .should().dependOnClassesThat().resideInAPackage("dev.parley.client..internal..")
        .check(parley);
  }

  private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> visibleToHosts() {
    return com.tngtech.archunit.base.DescribedPredicate.describe("are visible to hosts",
        PublicApiTest::isVisible);
  }

  /** Public, and (if nested) inside types that are visible too. */
  private static boolean isVisible(JavaClass c) {
    if (!c.getModifiers().contains(JavaModifier.PUBLIC) || c.isAnonymousClass()
        || c.isLocalClass()) {
      return false;
    }
    return c.getEnclosingClass().map(PublicApiTest::isVisible).orElse(true);
  }

  private static boolean exposed(Set<JavaModifier> modifiers) {
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }

  private static ArchCondition<JavaClass> exposeNoInternalType() {
    return new ArchCondition<>("name no .internal type in a public or protected signature") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        List<String> found = new ArrayList<>();
        c.getRawSuperclass().ifPresent(s -> note(found, "extends", s));
        c.getInterfaces().forEach(i -> note(found, "implements", i));
        for (JavaCodeUnit unit : c.getCodeUnits()) {
          if (!exposed(unit.getModifiers()) || unit.getModifiers().contains(JavaModifier.SYNTHETIC)) {
            continue;
          }
          String where = unit.getFullName();
          unit.getParameterTypes().forEach(p -> note(found, where + " parameter", p));
          note(found, where + " returns", unit.getReturnType());
        }
        for (JavaField field : c.getFields()) {
          if (exposed(field.getModifiers())) {
            note(found, field.getFullName(), field.getType());
          }
        }
        for (String violation : found) {
          events.add(SimpleConditionEvent.violated(c, c.getName() + ": " + violation));
        }
      }
    };
  }

  private static void note(List<String> found, String where, JavaType type) {
    for (JavaClass raw : type.getAllInvolvedRawTypes()) {
      if (raw.getPackageName().contains(".internal")) {
        found.add(where + " names " + raw.getName());
      }
    }
  }
}
