package io.qrbench.reports.allure;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The parts of Allure 2's result format ({@code <uuid>-result.json}) that qrbench fills in. */
final class AllureModel {
  private AllureModel() {}

  /** One test result; Allure reads one per file. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Result(
      String uuid,
      String historyId,
      String testCaseId,
      String name,
      String fullName,
      String description,
      String status,
      StatusDetails statusDetails,
      String stage,
      long start,
      long stop,
      List<Label> labels,
      List<Parameter> parameters,
      List<Step> steps,
      List<Object> links,
      List<Object> attachments) {
    Result {
      labels = List.copyOf(labels);
      parameters = List.copyOf(parameters);
      steps = List.copyOf(steps);
      links = links == null ? List.of() : List.copyOf(links);
      attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
  }

  /** Groups a result in Allure's Suites, Behaviors, Timeline and Packages views. */
  record Label(String name, String value) {}

  /** A name and value shown in a result's parameter table. */
  record Parameter(String name, String value) {}

  /** Why a result is not passed. */
  record StatusDetails(String message) {}

  /** A line in a result's execution tree; qrbench uses one per metric, with no duration of its own. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Step(String name, String status, String stage, long start, long stop, List<Parameter> parameters) {
    Step {
      parameters = List.copyOf(parameters);
    }
  }
}
