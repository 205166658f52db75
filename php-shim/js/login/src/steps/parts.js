/*
 * @jsxRuntime classic
 * @jsx createElement
 *
 * The pieces every step's form is made of, so that each step reads as its fields and actions only.
 */
import { createElement, Fragment } from '@wordpress/element';

import { SLOT, Slot } from '../slots';

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A labelled input. `invalid`/`describedBy` come from the shell when the error is about it.
 *
 * @param {Object} props
 * @param {string} props.id       Input id.
 * @param {string} props.label    Visible label.
 * @param {Object} props.inputRef Ref (the step's first field takes shell.firstInput).
 */
export function Field( { id, label, inputRef, ...input } ) {
	return (
		<div className="wa-field">
			<label className="wa-label" htmlFor={ id }>
				{ label }
			</label>
			<input
				className="wa-input"
				id={ id }
				ref={ inputRef }
				{ ...input }
			/>
		</div>
	);
}

/**
 * A step's form: posts nowhere (the step's handler calls the API), no browser validation bubbles.
 *
 * @param {Object}   props
 * @param {Function} props.onSubmit Handler (receives the event; default prevented here).
 * @param {*}        props.children Fields and buttons.
 */
export function StepForm( { onSubmit, children } ) {
	return (
		<form
			className="wa-form"
			method="post"
			noValidate
			onSubmit={ ( event ) => {
				event.preventDefault();
				onSubmit( event );
			} }
		>
			<Slot name={ SLOT.beforeForm } />
			{ children }
		</form>
	);
}

/**
 * The step's main action (a submit button), off while a request runs or once signed in.
 *
 * @param {Object} props
 * @param {Object} props.shell    The shell.
 * @param {*}      props.children Label.
 */
export function PrimaryButton( { shell, children } ) {
	// The slots around a step's main action (after the last field, after the button).
	return (
		<Fragment>
			<Slot name={ SLOT.afterForm } />
			<button
				className="wa-button wa-button-primary"
				type="submit"
				disabled={ shell.busy || shell.done }
			>
				{ children }
			</button>
			<Slot name={ SLOT.afterPrimaryAction } />
		</Fragment>
	);
}

/**
 * A secondary action of the step (not a submit).
 *
 * @param {Object}   props
 * @param {Object}   props.shell    The shell.
 * @param {Function} props.onClick  Handler.
 * @param {*}        props.children Label.
 */
export function SecondaryButton( { shell, onClick, children, ...rest } ) {
	return (
		<button
			className="wa-button wa-button-secondary"
			type="button"
			disabled={ shell.busy || shell.done }
			onClick={ onClick }
			{ ...rest }
		>
			{ children }
		</button>
	);
}

/**
 * A text link styled as the shell's links (a button: it changes the step, not the page).
 *
 * @param {Object}   props
 * @param {Function} props.onClick  Handler.
 * @param {*}        props.children Label.
 */
export function LinkButton( { onClick, children, ...rest } ) {
	return (
		<button
			className="wa-link"
			type="button"
			onClick={ onClick }
			{ ...rest }
		>
			{ children }
		</button>
	);
}

/**
 * A password field (the sign-in's, a new one, its confirmation): marked invalid with the shell's error.
 *
 * @param {Object}   props
 * @param {Object}   props.shell        The shell.
 * @param {string}   props.id           Input id.
 * @param {string}   props.label        Visible label.
 * @param {string}   props.name         Field name.
 * @param {string}   props.autoComplete `current-password` or `new-password`.
 * @param {string}   props.value        Current value.
 * @param {Function} props.onChange     Receives the new text.
 * @param {boolean}  props.first        Whether it is the step's first field (takes the keyboard).
 */
export function PasswordField( {
	shell,
	id,
	label,
	name,
	autoComplete,
	value,
	onChange,
	first = false,
} ) {
	return (
		<Field
			id={ id }
			label={ label }
			inputRef={ first ? shell.firstInput : undefined }
			name={ name }
			type="password"
			autoComplete={ autoComplete }
			required
			value={ value }
			onChange={ ( e ) => onChange( e.target.value ) }
			aria-invalid={ shell.invalid }
			aria-describedby={ shell.describedBy }
		/>
	);
}

/**
 * One choice among several (an organization, a second factor) as radio buttons in a fieldset; the
 * first takes the keyboard.
 *
 * @param {Object}   props
 * @param {Object}   props.shell    The shell.
 * @param {string}   props.legend   What is chosen.
 * @param {string}   props.name     Radio group name.
 * @param {string}   props.idPrefix Ids are idPrefix + index.
 * @param {Array}    props.choices  [{value, label}].
 * @param {string}   props.value    The value chosen ('' for none).
 * @param {Function} props.onChange Receives the value chosen.
 */
export function ChoiceList( {
	shell,
	legend,
	name,
	idPrefix,
	choices,
	value,
	onChange,
} ) {
	return (
		<fieldset
			className="wa-choices"
			aria-invalid={ shell.invalid }
			aria-describedby={ shell.describedBy }
		>
			<legend className="wa-label">{ legend }</legend>
			{ choices.map( ( choice, index ) => (
				<label
					className="wa-choice"
					key={ choice.value }
					htmlFor={ idPrefix + index }
				>
					<input
						id={ idPrefix + index }
						type="radio"
						name={ name }
						value={ choice.value }
						ref={ 0 === index ? shell.firstInput : null }
						checked={ value === choice.value }
						onChange={ () => onChange( choice.value ) }
					/>{ ' ' }
					{ choice.label }
				</label>
			) ) }
		</fieldset>
	);
}

/**
 * A one-time code field (6 digits from an email, an SMS or an authenticator app).
 *
 * @param {Object}   props
 * @param {Object}   props.shell    The shell.
 * @param {string}   props.id       Input id.
 * @param {string}   props.label    Visible label.
 * @param {string}   props.value    Current value.
 * @param {Function} props.onChange Receives the new text.
 */
export function CodeField( { shell, id, label, value, onChange } ) {
	return (
		<Field
			id={ id }
			label={ label }
			inputRef={ shell.firstInput }
			name="code"
			type="text"
			autoComplete="one-time-code"
			inputMode="numeric"
			maxLength={ 6 }
			required
			value={ value }
			onChange={ ( e ) => onChange( e.target.value ) }
			aria-invalid={ shell.invalid }
			aria-describedby={ shell.describedBy }
		/>
	);
}

/**
 * The six digits typed, or null (spaces are allowed while typing).
 *
 * @param {string} typed What the visitor typed.
 * @return {?string} The code.
 */
export function sixDigits( typed ) {
	const code = String( typed ).replace( /\s+/g, '' );
	return /^[0-9]{6}$/.test( code ) ? code : null;
}
