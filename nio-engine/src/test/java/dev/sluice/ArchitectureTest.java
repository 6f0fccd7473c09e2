package dev.sluice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

/**
 * The shape of the engine, enforced: users see only the API packages; the API exposes no internal type; packages
 * form no cycle; and every dependency points down the layer order that {@code docs/design.md} ("Packages") lists.
 */
class ArchitectureTest
{
    /** The packages a user sees. */
    static final String[] API = {
        "dev.sluice.codec", "dev.sluice.push", "dev.sluice.gate", "dev.sluice.config", "dev.sluice.connection",
        "dev.sluice.stats", "dev.sluice.engine"};

    /** Bottom to top: a package may depend on its own layer and the ones before it, never on a later one. */
    static final String[][] LAYERS = {
        {"dev.sluice.buffers"},
        {"dev.sluice.codec"},
        {"dev.sluice.push", "dev.sluice.gate"},
        {"dev.sluice.config", "dev.sluice.connection"},
        {"dev.sluice.stats"},
        {"dev.sluice.internal.log"},
        {"dev.sluice.internal.push"},
        {"dev.sluice.internal.connection"},
        {"dev.sluice.internal.inbound", "dev.sluice.internal.gate"},
        {"dev.sluice.internal.loop"},
        {"dev.sluice.engine"},
    };

    private static final JavaClasses ENGINE = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.sluice");

    @Test
    void everyClassIsInAKnownLayer()
    {
        final List<String> known = new ArrayList<>();
        for (final String[] layer : LAYERS)
        {
            known.addAll(Arrays.asList(layer));
        }
        classes().should().resideInAnyPackage(known.toArray(new String[0])).check(ENGINE);
    }

    @Test
    void packagesFormNoCycle()
    {
        slices().matching("dev.sluice.(**)").should().beFreeOfCycles().check(ENGINE);
    }

    @Test
    void dependenciesPointDownTheLayers()
    {
        for (int i = 0; i < LAYERS.length - 1; i++)
        {
            final List<String> above = new ArrayList<>();
            for (int j = i + 1; j < LAYERS.length; j++)
            {
                above.addAll(Arrays.asList(LAYERS[j]));
            }
            noClasses().that().resideInAnyPackage(LAYERS[i])
                .should().dependOnClassesThat().resideInAnyPackage(above.toArray(new String[0]))
                .check(ENGINE);
        }
    }

    @Test
    void apiPackagesOtherThanTheEntryPointDoNotTouchInternals()
    {
        noClasses().that().resideInAnyPackage(Arrays.copyOf(API, API.length - 1))
            .should().dependOnClassesThat().resideInAPackage("dev.sluice.internal..")
            .check(ENGINE);
    }

    @Test
    void publicSignaturesOfTheApiMentionNoInternalType()
    {
        classes().that().resideInAnyPackage(API).and().arePublic()
            .should(exposeNoInternalType())
            .check(ENGINE);
    }

    @Test
    void theSignatureCheckFindsAnInternalTypeWhereThereIsOne()
    {
        // The rule above must be able to fail: an internal class's own public signatures mention internal types.
        final ConditionEvents events = ConditionEvents.Factory.create();
        exposeNoInternalType().check(ENGINE.get(dev.sluice.internal.connection.ConnectionTable.class), events);
        assertFalse(events.getViolating().isEmpty(), "ConnectionTable.take() returns an internal type");
    }

    private static ArchCondition<JavaClass> exposeNoInternalType()
    {
        final DescribedPredicate<JavaClass> isInternal =
            DescribedPredicate.describe("internal", c -> c.getPackageName().startsWith("dev.sluice.internal"));
        return new ArchCondition<>("expose no internal type in a public signature")
        {
            @Override
            public void check(final JavaClass type, final ConditionEvents events)
            {
                type.getRawSuperclass().filter(isInternal).ifPresent(s -> violate(events, type, "extends " + s));
                for (final JavaClass i : type.getRawInterfaces())
                {
                    if (isInternal.test(i))
                    {
                        violate(events, type, "implements " + i.getName());
                    }
                }
                for (final JavaField field : type.getFields())
                {
                    if (isVisible(field.getModifiers().contains(JavaModifier.PUBLIC),
                        field.getModifiers().contains(JavaModifier.PROTECTED)) && isInternal.test(field.getRawType()))
                    {
                        violate(events, type, "field " + field.getName() + " is " + field.getRawType().getName());
                    }
                }
                for (final JavaCodeUnit unit : type.getCodeUnits())
                {
                    if (!isVisible(unit.getModifiers().contains(JavaModifier.PUBLIC),
                        unit.getModifiers().contains(JavaModifier.PROTECTED)))
                    {
                        continue;
                    }
                    if (isInternal.test(unit.getRawReturnType()))
                    {
                        violate(events, type, unit.getFullName() + " returns " + unit.getRawReturnType().getName());
                    }
                    for (final JavaClass parameter : unit.getRawParameterTypes())
                    {
                        if (isInternal.test(parameter))
                        {
                            violate(events, type, unit.getFullName() + " takes " + parameter.getName());
                        }
                    }
                }
            }
        };
    }

    private static boolean isVisible(final boolean isPublic, final boolean isProtected)
    {
        return isPublic || isProtected;
    }

    private static void violate(final ConditionEvents events, final JavaClass type, final String what)
    {
        events.add(SimpleConditionEvent.violated(type, type.getName() + ": " + what));
    }
}
